import type { Browser } from 'playwright-core';
import { londonDate } from '@fh/domain';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * Child protection in the console (issue 13 item 1), end to end: a child-protection transfer seeded
 * through the API up to the conversation checked back; then in the browser the receiving health
 * visitor accepts it (status "Awaiting conference", the interim arrangement shown, the sender still
 * accountable), records the transfer-in conference (first with the chair missing: the GOV.UK error
 * summary, nothing changes), and the sending health visitor confirms the written outcome; only then is
 * the receiving lead accountable and the status "Accepted". Every page is checked with axe-core.
 */
describe('child protection: accept, conference, written outcome (console)', () => {
  let stack: Stack;
  let browser: Browser;
  let id: string;
  const hana = 'hana.begum@birmingham.demo';
  const harriet = 'harriet.shaw@sandwell.demo';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    ({ id } = await stack.seedTransfer({ involvement: 'child_protection', concerns: [] }));
    const t = (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body;
    const contact = await stack.api(harriet, 'POST', `/v1/transfers/${id}/direct-contact`, {
      occurredAt: new Date().toISOString(),
      method: 'phone',
      sendingPractitionerId: t.accountablePractitioner.id,
      summary: 'Talked through the plan, the core group and the GP position',
      flagAcknowledgements: t.riskFlags.map((f: { code: string }) => ({ code: f.code, understanding: 'discussed' })),
    });
    expect(contact.status).toBe(200);
    expect((await stack.api(hana, 'POST', `/v1/transfers/${id}/direct-contact/confirm`, { agree: true })).status).toBe(
      200,
    );
    for (const f of t.riskFlags.filter((x: { severity: string }) => x.severity === 'critical'))
      expect(
        (
          await stack.api('lena.novak@sandwell.demo', 'POST', `/v1/transfers/${id}/flags/${f.code}/acknowledge`, {
            advice: 'strategy discussion today',
          })
        ).status,
      ).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const submit = async (person: Person, button: string) => {
    await Promise.all([person.page.waitForNavigation(), person.page.getByRole('button', { name: button }).click()]);
    await person.check();
  };
  const fillDate = async (person: Person, prefix: string, date: string) => {
    const [year, month, day] = date.split('-');
    await person.page.locator(`#${prefix}-day`).fill(String(Number(day)));
    await person.page.locator(`#${prefix}-month`).fill(String(Number(month)));
    await person.page.locator(`#${prefix}-year`).fill(year);
  };

  it('accepted in, the conference recorded, the written outcome confirmed: only then is the receiving lead accountable', async () => {
    const today = londonDate(new Date());
    const receiver = await new Person(browser, stack, harriet).open();
    const page = receiver.page;
    page.setDefaultTimeout(10_000);
    await receiver.signIn(`/transfers/${id}`);
    const main = page.locator('main');

    // Accept: transfer-in accepted, the sender stays accountable, Harriet is interim lead.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Accept the transfer' }).click()]);
    await receiver.check();
    expect(await main.innerText()).toContain('the person you choose becomes the interim lead');
    expect(await page.getByLabel('Harriet Shaw (you)').isChecked()).toBe(true);
    await submit(receiver, 'Accept the transfer');
    expect(new URL(page.url()).pathname).toBe(`/transfers/${id}`);
    let text = await main.innerText();
    expect(text).toContain('The transfer-in has been accepted.');
    expect(text).toContain('Awaiting conference');
    expect(text).toContain(
      'Hana Begum stays accountable until the transfer-in conference’s written outcome is confirmed; ' +
        'Harriet Shaw (Sandwell) runs the plan on Birmingham’s behalf as interim lead.',
    );
    expect(text).toMatch(/Accountable now\s+Hana Begum/);
    expect(text).toMatch(/Transfer-in conference\s+Due by/);
    await receiver.screenshot('transfer-awaiting-conference');

    // Record the conference: first without a chair (the error summary links to the field), then in full.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Record the conference' }).click()]);
    await receiver.check();
    expect(await page.locator('h1').innerText()).toBe('Record the transfer-in conference');
    await fillDate(receiver, 'held', today);
    await page.getByLabel('The child protection plan continues').check();
    await submit(receiver, 'Record the conference');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter who chaired the conference');
    expect(await page.locator('.govuk-error-summary a[href="#chair"]').count()).toBe(1);
    expect((await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body.conference.heldOn).toBeNull();
    await page.getByLabel('Who chaired the conference?').fill('Dana Okafor');
    await page.getByLabel('Notes (optional)').fill('Core group within 10 working days');
    await submit(receiver, 'Record the conference');
    expect(new URL(page.url()).pathname).toBe(`/transfers/${id}`);
    text = await main.innerText();
    expect(text).toContain('The conference has been recorded.');
    expect(text).toContain('Waiting for the written outcome');
    expect(text).toMatch(/Chair\s+Dana Okafor/);
    expect(text).toMatch(/Accountable now\s+Hana Begum/);
    expect(await page.getByRole('button', { name: 'Confirm the written outcome' }).count()).toBe(0);
    await receiver.close();

    // The sending side confirms the written outcome: accountability passes.
    const sender = await new Person(browser, stack, hana).open();
    sender.page.setDefaultTimeout(10_000);
    await sender.signIn(`/transfers/${id}`);
    await Promise.all([
      sender.page.waitForNavigation(),
      sender.page.getByRole('button', { name: 'Confirm the written outcome' }).click(),
    ]);
    await sender.check();
    expect(await sender.page.locator('h1').innerText()).toBe('Confirm the written outcome');
    await fillDate(sender, 'received', today);
    await submit(sender, 'Confirm the written outcome');
    expect(new URL(sender.page.url()).pathname).toBe(`/transfers/${id}`);
    text = await sender.page.locator('main').innerText();
    expect(text).toContain('You confirmed the written outcome.');
    expect(text).toContain('Accepted');
    expect(text).toMatch(/Accountable now\s+Harriet Shaw \(Sandwell Health Visiting/);
    expect(text).toContain('Written outcome confirmed');
    expect(text).not.toContain('as interim lead');

    const api = (await stack.api(hana, 'GET', `/v1/transfers/${id}`)).body;
    expect(api.status).toBe('accepted');
    expect(api.accountablePractitioner.name).toBe('Harriet Shaw');
    expect(api.conference.writtenOutcome.receivedOn).toBe(today);
    expect(receiver.violations).toEqual([]);
    expect(sender.violations).toEqual([]);
    await sender.close();
  }, 240_000);
});
