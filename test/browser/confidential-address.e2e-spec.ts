import type { Browser } from 'playwright-core';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * Issue 13 item 5 in the console: the sending health visitor marks the new address confidential in
 * move details; on the transfer page the people not named on the transfer (the sending manager, the
 * receiving health visitor before the conversation) see only whom to ask, and the sending health
 * visitor sees the address marked confidential. A colleague saving move details without the address
 * leaves it as it is. axe-core (WCAG 2.2 A/AA) on every page.
 */
describe('a confidential address in the console', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const REFUGE = { line1: '7 Vespertine Close', town: 'Tipton Mardle', postcode: 'DY4 8XQ' };
  const HANA = 'hana.begum@birmingham.demo';
  const submit = async (person: Person, name: string) => {
    await Promise.all([
      person.page.waitForNavigation({ waitUntil: 'load' }),
      person.page.getByRole('button', { name, exact: true }).click(),
    ]);
    await person.check();
  };
  const newAddressRow = (person: Person) =>
    person.page.locator('.govuk-summary-list__row', { hasText: 'New address' }).locator('dd').first().innerText();

  it('is marked in move details, and shown only as whom to ask to people not named on the transfer', async () => {
    const hana = await new Person(browser, stack, HANA, { javaScriptEnabled: false }).open();
    hana.page.setDefaultTimeout(10_000);
    await hana.signIn('/transfers/new');
    await hana.goto('/transfers/new/receiving-team');
    await hana.page.getByRole('radio', { name: 'Sandwell' }).check();
    await submit(hana, 'Continue');
    await hana.page.getByRole('radio', { name: 'Sandwell Health Visiting' }).check();
    await submit(hana, 'Continue');
    const today = new Date();
    await hana.page.fill('#moveDate-day', String(today.getUTCDate()));
    await hana.page.fill('#moveDate-month', String(today.getUTCMonth() + 1));
    await hana.page.fill('#moveDate-year', String(today.getUTCFullYear()));
    await hana.page.check('input[name="moveType"][value="permanent"]');
    await hana.page.check('input[name="involvement"][value="child_in_need"]');
    await hana.page.fill('#addressLine1', REFUGE.line1);
    await hana.page.fill('#addressTown', REFUGE.town);
    await hana.page.fill('#addressPostcode', REFUGE.postcode);
    await hana.page.getByLabel('This address is confidential').check();
    await submit(hana, 'Save and continue');
    const draftId = new URL(hana.page.url()).pathname.split('/').pop()!;
    expect(draftId).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await stack.api(HANA, 'GET', `/v1/transfers/${draftId}`);
    expect(stored.body.newAddress).toEqual({ ...REFUGE, line2: null, confidential: true });

    // Her manager sees the draft, but not the address — and saving move details keeps it.
    const grace = await new Person(browser, stack, 'grace.mensah@birmingham.demo', { javaScriptEnabled: false }).open();
    grace.page.setDefaultTimeout(10_000);
    await grace.signIn(`/transfers/${draftId}`);
    expect(await newAddressRow(grace)).toBe('Confidential Held confidentially — ask Hana Begum');
    expect(await grace.page.content()).not.toContain('Vespertine');
    await grace.goto(`/transfers/new/${draftId}/move-details`);
    expect(await grace.page.locator('.govuk-inset-text').innerText()).toContain('held confidentially — ask Hana Begum');
    expect(await grace.page.locator('#addressLine1').count()).toBe(0);
    expect(await grace.page.content()).not.toContain('Vespertine');
    await submit(grace, 'Save and continue');
    expect((await stack.api(HANA, 'GET', `/v1/transfers/${draftId}`)).body.newAddress).toEqual({
      ...REFUGE,
      line2: null,
      confidential: true,
    });
    expect(grace.violations).toEqual([]);
    await grace.close();

    // Hana, who is accountable, sees it, marked confidential; her answers say so too.
    await hana.goto(`/transfers/${draftId}`);
    expect(await newAddressRow(hana)).toBe('Confidential 7 Vespertine Close, Tipton Mardle, DY4 8XQ');
    expect(hana.violations).toEqual([]);
    await hana.close();
  }, 180_000);

  it('the receiving health visitor, not yet in the conversation, sees whom to ask on the transfer page', async () => {
    const { id } = await stack.seedTransfer({ newAddress: { ...REFUGE, confidential: true } });
    const harriet = await new Person(browser, stack, 'harriet.shaw@sandwell.demo').open();
    harriet.page.setDefaultTimeout(10_000);
    await harriet.signIn(`/transfers/${id}`);
    expect(await newAddressRow(harriet)).toBe('Confidential Held confidentially — ask Hana Begum');
    const html = await harriet.page.content();
    for (const part of ['Vespertine', 'Mardle', 'DY4']) expect(html).not.toContain(part);
    await harriet.screenshot('transfer-confidential-address');
    expect(harriet.violations).toEqual([]);
    await harriet.close();
  }, 120_000);
});
