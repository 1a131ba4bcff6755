import { londonDate } from '@fh/domain';
import type { Browser, Page } from 'playwright-core';
import { reviewFamily } from '../support/family';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * The family not reached, in the console, from the first attempt to found (issue 14 items 2 and 6):
 * the receiving health visitor, whose home visit found no one, reports it from the transfer page
 * (first with nothing filled in: the GOV.UK error summary, nothing recorded); the transfer page
 * shows the route with its locate checklist; she records what the education setting said, then the
 * family found. The page and the API agree at each step. axe-core on every page.
 */
describe('family not reached: first attempt to found (console)', () => {
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
    const created = await stack.api(hana, 'POST', '/v1/transfers', reviewFamily(receiving.id, { concerns: [] }));
    expect(created.status).toBe(201);
    id = created.body.id;
    expect((await stack.api(hana, 'POST', `/v1/transfers/${id}/initiate`)).status).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const route = async () => (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body.familyNotReached;
  const today = () => londonDate(new Date()).split('-');
  const fillToday = async (page: Page, prefix: string) => {
    const [year, month, day] = today();
    await page.fill(`#${prefix}-day`, String(Number(day)));
    await page.fill(`input[name="${prefix}-month"]`, String(Number(month)));
    await page.fill(`input[name="${prefix}-year"]`, year!);
  };

  it('the receiving health visitor reports the family not reached, works the checklist and records them found', async () => {
    const person = await new Person(browser, stack, harriet).open();
    const page = person.page;
    page.setDefaultTimeout(10_000);
    const go = async (action: () => Promise<unknown>) => {
      await Promise.all([page.waitForNavigation(), action()]);
      await person.check();
    };
    await person.signIn(`/transfers/${id}`);
    await go(() => page.getByRole('link', { name: 'Report the family not reached' }).click());
    expect(await page.locator('h1').innerText()).toBe('Report the family not reached');

    // Nothing filled in: the error summary, nothing recorded.
    await go(() => page.getByRole('button', { name: 'Report the family not reached' }).click());
    const summary = await page.locator('.govuk-error-summary').innerText();
    expect(summary).toContain('Enter the date of the attempt');
    expect(summary).toContain('Select what happened');
    expect(await route()).toBeNull();

    await fillToday(page, 'on');
    await page.getByLabel('Home visit, no access').check();
    await page.fill('#note', 'No answer, curtains drawn, post piling up');
    await go(() => page.getByRole('button', { name: 'Report the family not reached' }).click());
    expect(new URL(page.url()).pathname).toBe(`/transfers/${id}`);
    expect(await page.locator('main').innerText()).toContain('You reported the family not reached.');
    const card = page.locator('#family-not-reached');
    expect(await card.innerText()).toContain('Home visit, no access (No answer, curtains drawn, post piling up)');
    expect(await card.getByText('To do').count()).toBe(5);
    const reported = await route();
    expect([reported.open, reported.attempts.length]).toEqual([true, 1]);
    const flags = (await stack.api(harriet, 'GET', `/v1/transfers/${id}`)).body.riskFlags;
    expect(flags.map((f: { code: string }) => f.code)).toContain('FAMILY_NOT_REACHED');
    await person.screenshot('family-not-reached');

    // The education setting: what it said, and the pupil file.
    await go(() => card.getByRole('link', { name: /Record what was found.*Education setting/ }).click());
    await page.fill('#found', 'Not on roll at the nursery since 13 November');
    await page.locator('input[name="pupilFileMoved"][value="no"]').check();
    await go(() => page.getByRole('button', { name: 'Record what was found' }).click());
    expect(await page.locator('main').innerText()).toContain('What the check found has been recorded.');
    expect(await page.locator('#family-not-reached').innerText()).toContain(
      'Not on roll at the nursery since 13 November Pupil file not moved.',
    );
    const education = (await route()).checklist.find((c: { check: string }) => c.check === 'education_setting');
    expect([education.found, education.pupilFileMoved]).toEqual([
      'Not on roll at the nursery since 13 November',
      false,
    ]);

    // Found.
    await go(() => page.getByRole('link', { name: 'Record the family found' }).click());
    await fillToday(page, 'on');
    await page.fill('#how', 'Staying with the grandmother in Tipton; seen there today');
    await go(() => page.getByRole('button', { name: 'Record the family found' }).click());
    const after = await page.locator('main').innerText();
    expect(after).toContain('You recorded the family found.');
    expect(after).toContain('Family not reached, then found');
    expect(after).toContain('Staying with the grandmother in Tipton; seen there today');
    expect(await page.getByRole('link', { name: 'Record the family found' }).count()).toBe(0);
    await person.screenshot('family-found');
    const found = await route();
    expect([found.open, found.found.how]).toEqual([false, 'Staying with the grandmother in Tipton; seen there today']);
    expect(person.violations).toEqual([]);
    await person.close();
  }, 180_000);
});
