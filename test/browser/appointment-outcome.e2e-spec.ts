import type { Browser } from 'playwright-core';
import { reviewFamily } from '../support/family';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * An appointment outcome in the console (issue 14 item 5): from the transfer page, the receiving
 * practitioner opens an appointment's outcome page, is told the new date is needed when she chooses
 * "Rescheduled" without one (GOV.UK error summary), then records "No access" — a home visit where no
 * one answered. The transfer page and the API agree. Every page is checked with axe-core.
 */
describe('appointment outcome: no access (console)', () => {
  let stack: Stack;
  let browser: Browser;
  let id: string;
  let appointmentId: string;
  const hana = 'hana.begum@birmingham.demo';
  const harriet = 'harriet.shaw@sandwell.demo';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const teams = await stack.api(hana, 'GET', '/v1/teams?area=sandwell');
    const receiving = (teams.body as { id: string; service: string }[]).find((t) => t.service === 'health_visiting')!;
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const family = reviewFamily(receiving.id, {
      concerns: [],
      appointments: [
        {
          memberRef: 'baby',
          kind: 'health_visitor_review',
          provider: 'Sandwell HV',
          dueOn: inTwoDays,
          status: 'scheduled',
        },
      ],
    });
    const created = await stack.api(hana, 'POST', '/v1/transfers', family);
    expect(created.status).toBe(201);
    id = created.body.id;
    const initiated = await stack.api(hana, 'POST', `/v1/transfers/${id}/initiate`);
    expect(initiated.status).toBe(200);
    appointmentId = initiated.body.appointments[0].id;
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('records a no-access home visit from the transfer page', async () => {
    const person = await new Person(browser, stack, harriet).open();
    const page = person.page;
    page.setDefaultTimeout(10_000);
    await person.signIn(`/transfers/${id}`);
    const link = page.locator(`a[href="/transfers/${id}/appointments/${appointmentId}/outcome"]`);
    expect(await link.innerText()).toContain('Record the outcome');
    await Promise.all([page.waitForNavigation(), link.click()]);
    await person.check();
    expect(await page.locator('h1').innerText()).toBe('What happened at the appointment?');

    // Rescheduled without the new date: the error summary, nothing recorded.
    await page.getByLabel('Rescheduled by the parent or carer').check();
    expect(await page.getByText('What is the new date?').isVisible()).toBe(true);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Record the outcome' }).click()]);
    await person.check();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the new date');
    expect((await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body.appointments[0].status).toBe('scheduled');

    await page.getByLabel('No access').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Record the outcome' }).click()]);
    await person.check();
    expect(new URL(page.url()).pathname).toBe(`/transfers/${id}`);
    const after = await page.locator('main').innerText();
    expect(after).toContain('The appointment’s outcome has been recorded.');
    expect(after).toContain('No access');
    await person.screenshot('appointment-no-access');

    const api = (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body;
    expect(api.appointments[0].status).toBe('no_access');
    expect(api.riskFlags.map((f: { code: string }) => f.code)).toContain('WAS_NOT_BROUGHT');
    const items = (await stack.api(harriet, 'GET', `/v1/transfers/${id}/chase-items`)).body;
    expect(items.find((i: { appointmentId: string }) => i.appointmentId === appointmentId)).toEqual(
      expect.objectContaining({ status: 'open', escalationLevel: 1 }),
    );
    // The one violation allowed is GOV.UK Frontend's own, documented known issue: its conditional
    // reveal sets aria-expanded on the radio inputs (alphagov/govuk-frontend#979, kept on purpose for
    // screen readers). Anything else on any page fails the test.
    const known = (v: string) =>
      v.includes('/outcome aria-allowed-attr (critical)') && /— (#status(-\d)?(, )?)+$/.test(v);
    expect(person.violations.filter((v) => !known(v))).toEqual([]);
    await person.close();
  }, 180_000);
});
