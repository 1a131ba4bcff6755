import type { Browser } from 'playwright-core';
import { reviewFamily } from '../support/family';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * A host notification in the console (issue 13 item 2): the transfer page says the sending team
 * stays responsible and offers "Acknowledge the notification" (never "Accept"); the page names the
 * host team's contact; afterwards the transfer shows the contact and the sender is still accountable.
 * Every page is checked with axe-core (WCAG 2.2 A and AA).
 */
describe('host notification acknowledgement (console)', () => {
  let stack: Stack;
  let browser: Browser;
  let id: string;
  const hana = 'hana.begum@birmingham.demo';
  const harriet = 'harriet.shaw@sandwell.demo';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const teams = await stack.api(hana, 'GET', '/v1/teams?area=sandwell');
    const receiving = (teams.body as { id: string; service: string }[]).find((t) => t.service === 'health_visiting')!;
    const family = reviewFamily(receiving.id);
    const household = (family.household as { ref: string }[]).map((m) =>
      m.ref === 'baby' ? { ...m, statutoryOrder: 'interim_care_order' } : m,
    );
    const created = await stack.api(hana, 'POST', '/v1/transfers', { ...family, household });
    expect(created.body.kind).toBe('host_notification');
    id = created.body.id;
    expect((await stack.api(hana, 'POST', `/v1/transfers/${id}/initiate`)).status).toBe(200);
    const t = (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body;
    const contact = await stack.api(harriet, 'POST', `/v1/transfers/${id}/direct-contact`, {
      occurredAt: new Date().toISOString(),
      method: 'phone',
      sendingPractitionerId: t.accountablePractitioner.id,
      summary: 'Talked through the order and the GP position',
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

  it('the host team acknowledges it naming a contact; the sending team stays accountable', async () => {
    const person = await new Person(browser, stack, harriet).open();
    const page = person.page;
    page.setDefaultTimeout(10_000);
    await person.signIn(`/transfers/${id}`);
    const main = page.locator('main');
    expect(await main.innerText()).toContain('Host notification.');
    expect(await main.innerText()).toContain('stays responsible for good');
    expect(await page.getByRole('button', { name: 'Accept the transfer' }).count()).toBe(0);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Acknowledge the notification' }).click(),
    ]);
    await person.check();
    expect(await page.locator('h1').innerText()).toBe('Acknowledge the host notification');

    // She is offered first (chosen for her); with nobody chosen: the GOV.UK error summary, nothing changes.
    expect(await page.getByLabel('Harriet Shaw (you)').isChecked()).toBe(true);
    await page
      .locator('input[name="contactPractitionerId"]:checked')
      .evaluate((el) => ((el as unknown as { checked: boolean }).checked = false));
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Acknowledge the notification' }).click(),
    ]);
    await person.check();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select who will be your team’s contact');

    await page.getByLabel('Harriet Shaw (you)').check();
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Acknowledge the notification' }).click(),
    ]);
    await person.check();
    expect(new URL(page.url()).pathname).toBe(`/transfers/${id}`);
    const after = await main.innerText();
    expect(after).toContain('You acknowledged the host notification and named your contact.');
    expect(after).toContain('Notification acknowledged');
    expect(after).toMatch(/Host team contact\s+Harriet Shaw/);
    expect(after).toMatch(/Accountable now\s+Hana Begum/);
    await person.screenshot('host-notification-acknowledged');

    const api = (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body;
    expect(api.status).toBe('notification_acknowledged');
    expect(api.hostContact.name).toBe('Harriet Shaw');
    expect(api.accountablePractitioner.name).toBe('Hana Begum');
    expect(person.violations).toEqual([]);
    await person.close();
  }, 180_000);
});
