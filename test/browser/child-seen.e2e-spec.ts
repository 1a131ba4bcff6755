import { londonDate } from '@fh/domain';
import type { Browser } from 'playwright-core';
import { reviewFamily } from '../support/family';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * A child seen in the new area, in the console (issue 14 item 1): once the transfer is sent, the
 * receiving practitioner's transfer page lists each child as not yet seen, with the working days
 * since the move. She records the baby seen — first without saying where (the GOV.UK error summary,
 * nothing recorded), then in full — and the page shows the baby seen and the sibling still not seen.
 * The sending practitioner is told the same but is offered no "Record as seen". axe-core on every page.
 */
describe('child seen (console)', () => {
  let stack: Stack;
  let browser: Browser;
  let id: string;
  let baby: string;
  const hana = 'hana.begum@birmingham.demo';
  const harriet = 'harriet.shaw@sandwell.demo';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const teams = await stack.api(hana, 'GET', '/v1/teams?area=sandwell');
    const receiving = (teams.body as { id: string; service: string }[]).find((t) => t.service === 'health_visiting')!;
    const created = await stack.api(hana, 'POST', '/v1/transfers', reviewFamily(receiving.id, { concerns: [] }));
    expect(created.status).toBe(201);
    id = created.body.id;
    const initiated = await stack.api(hana, 'POST', `/v1/transfers/${id}/initiate`);
    expect(initiated.status).toBe(200);
    baby = initiated.body.household.find((m: { ref: string }) => m.ref === 'baby').id;
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the receiving practitioner records the baby seen from the transfer page', async () => {
    const person = await new Person(browser, stack, harriet).open();
    const page = person.page;
    page.setDefaultTimeout(10_000);
    await person.signIn(`/transfers/${id}`);
    const card = page.locator('#children-seen');
    expect(await card.innerText()).toMatch(/Not yet seen: \d+ working days since the move; due by/);
    const link = page.locator(`a[href="/transfers/${id}/children/${baby}/seen"]`);
    expect(await link.innerText()).toContain('Record as seen');
    await Promise.all([page.waitForNavigation(), link.click()]);
    await person.check();
    expect(await page.locator('h1').innerText()).toMatch(/^Record .+ as seen$/);

    // Without saying where: the error summary, nothing recorded.
    const [year, month, day] = londonDate(new Date()).split('-');
    await page.fill('#seen-day', String(Number(day)));
    await page.fill('input[name="seen-month"]', String(Number(month)));
    await page.fill('input[name="seen-year"]', year!);
    await page.locator('input[name="seenAlone"][value="no"]').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Record as seen' }).click()]);
    await person.check();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select where the child was seen');
    const before = (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body;
    expect(before.childrenSeen.every((c: { seen: boolean }) => !c.seen)).toBe(true);

    // What was typed is kept; she is chosen as who saw the baby (she is in the receiving team).
    expect(await page.inputValue('#seen-day')).toBe(String(Number(day)));
    expect(await page.locator('input[name="seenById"]:checked').count()).toBe(1);
    await page.getByLabel('At home').check();
    await page.fill('#note', 'Settled, feeding well');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Record as seen' }).click()]);
    await person.check();
    expect(new URL(page.url()).pathname).toBe(`/transfers/${id}`);
    expect(await page.locator('main').innerText()).toContain('You recorded the child as seen.');
    const after = await page.locator('#children-seen').innerText();
    expect(after).toMatch(/Seen at home on .+ by .+, not seen alone/);
    expect(after).toContain('Settled, feeding well');
    expect(after).toContain('Not yet seen');
    expect(await page.locator(`a[href="/transfers/${id}/children/${baby}/seen"]`).count()).toBe(0);
    await person.screenshot('child-seen');

    const api = (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body;
    expect(api.childrenSeen.find((c: { memberId: string }) => c.memberId === baby)).toEqual(
      expect.objectContaining({ seen: true, where: 'home', seenAlone: false, note: 'Settled, feeding well' }),
    );
    expect(person.violations).toEqual([]);
    await person.close();
  }, 180_000);

  it('the sending practitioner sees who has been seen but is offered no "Record as seen"', async () => {
    const person = await new Person(browser, stack, hana).open();
    const page = person.page;
    page.setDefaultTimeout(10_000);
    await person.signIn(`/transfers/${id}`);
    const card = await page.locator('#children-seen').innerText();
    expect(card).toMatch(/Seen at home/);
    expect(card).toMatch(/Not yet seen/);
    expect(await page.locator('a[href*="/children/"]').count()).toBe(0);
    expect(person.violations).toEqual([]);
    await person.close();
  }, 120_000);
});
