import type { Browser } from 'playwright-core';
import { reviewFamily } from '../support/family';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * The bruising protocol in the console (issue 14 item 4): a mark that might be a bruise on a
 * 4-month-old, with no health assessment, referral, multi-agency discussion or parents' explanation
 * recorded. The transfer page's flag says what is missing; the safeguarding lead's advice page asks
 * what was done about each; advice without them is refused at each box (nothing recorded); with
 * them it is recorded, and the transfer page shows what was done beside the advice. axe-core on every page.
 */
describe('bruising protocol (console)', () => {
  let stack: Stack;
  let browser: Browser;
  let id: string;
  const hana = 'hana.begum@birmingham.demo';
  const lena = 'lena.novak@sandwell.demo';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const teams = await stack.api(hana, 'GET', '/v1/teams?area=sandwell');
    const receiving = (teams.body as { id: string; service: string }[]).find((t) => t.service === 'health_visiting')!;
    const family = reviewFamily(receiving.id);
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const created = await stack.api(hana, 'POST', '/v1/transfers', {
      ...family,
      household: family.household.map((m: { ref: string }) => (m.ref === 'baby' ? { ...m, mobility: 'unknown' } : m)),
      concerns: [
        {
          memberRef: 'baby',
          type: 'possible_bruise',
          observedOn: threeDaysAgo,
          description: 'a mark behind the left ear',
          safeguardingAdviceSought: true,
        },
      ],
    });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect((await stack.api(hana, 'POST', `/v1/transfers/${id}/initiate`)).status).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the lead says what was done about each missing item before the advice is recorded', async () => {
    const person = await new Person(browser, stack, lena).open();
    const page = person.page;
    page.setDefaultTimeout(10_000);
    const go = async (action: () => Promise<unknown>) => {
      await Promise.all([page.waitForNavigation(), action()]);
      await person.check();
    };
    await person.signIn(`/transfers/${id}`);
    expect(await page.locator('main').innerText()).toMatch(/bruising protocol still missing: health assessment/i);
    await go(() => page.goto(`${stack.webUrl}/transfers/${id}/advice`));
    expect(await page.locator('main').innerText()).toContain(
      'The bruising protocol is not complete: what was done about each missing item?',
    );

    // The advice alone: each missing item is asked for, nothing recorded.
    await page.locator('textarea[name="advice-NON_MOBILE_INFANT_BRUISING"]').fill('Child protection medical today.');
    await go(() => page.getByRole('button', { name: 'Record your advice' }).click());
    const summary = await page.locator('.govuk-error-summary').innerText();
    for (const item of ['health assessment', 'referral', 'multi-agency discussion', 'parents’ explanation'])
      expect(summary.toLowerCase()).toContain(item);
    const before = (await stack.api(lena, 'GET', `/v1/transfers/${id}`)).body.riskFlags.find(
      (f: { code: string }) => f.code === 'NON_MOBILE_INFANT_BRUISING',
    );
    expect(before.safeguardingAcknowledgement).toBeNull();

    // Every box filled: recorded, with what was done about each item.
    for (const box of await page.locator('textarea').all())
      if (!(await box.inputValue())) await box.fill('Arranged with the Sandwell MASH today.');
    await go(() => page.getByRole('button', { name: 'Record your advice' }).click());
    expect(new URL(page.url()).search).toContain('done=advice');
    await go(() => page.goto(`${stack.webUrl}/transfers/${id}`));
    expect(await page.locator('main').innerText()).toMatch(
      /The health assessment: Arranged with the Sandwell MASH today\./,
    );
    await person.screenshot('bruising-protocol-advice');
    const after = (await stack.api(lena, 'GET', `/v1/transfers/${id}`)).body.riskFlags.find(
      (f: { code: string }) => f.code === 'NON_MOBILE_INFANT_BRUISING',
    );
    expect(after.safeguardingAcknowledgement).not.toBeNull();
    expect(person.violations).toEqual([]);
    await person.close();
  }, 180_000);
});
