import type { Browser } from 'playwright-core';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * A transfer request in the console (issue 14 item 3), answered with a transfer: Harriet (Sandwell
 * health visiting) finds a family Birmingham knows and asks Birmingham Health Visiting to transfer
 * it — first forgetting the concern (GOV.UK error summary), adding a second child with "Add another
 * child"; Hana (Birmingham) finds it under Transfer requests, opens it and answers "Yes, we will
 * transfer", and lands on the new draft transfer with the two children in it. Every page is checked
 * with axe-core (WCAG 2.2 A and AA).
 */
describe('transfer request answered with a transfer (console)', () => {
  let stack: Stack;
  let browser: Browser;
  const hana = 'hana.begum@birmingham.demo';
  const harriet = 'harriet.shaw@sandwell.demo';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('Harriet asks Birmingham; Hana answers "will transfer" and is taken to the draft with the children', async () => {
    const requester = await new Person(browser, stack, harriet).open();
    let page = requester.page;
    page.setDefaultTimeout(15_000);
    await requester.signIn('/transfer-requests');
    await page.getByRole('button', { name: 'Ask another area to transfer a family' }).click();
    await page.waitForURL(/\/transfer-requests\/new$/);
    await requester.check();
    expect(await page.locator('h1').innerText()).toBe('Ask another area to transfer a family');

    await page
      .getByLabel('Which team knows the family?')
      .selectOption({ label: 'Birmingham Health Visiting (Erdington) (Birmingham)' });
    await page.getByLabel('Given name').fill('Rowan');
    await page.getByLabel('Family name').fill('Test-Child');
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('7');
    await page.getByLabel('Year').fill('2026');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add another child' }).click()]);
    await requester.check();
    // The first child is kept as typed; a second one is offered.
    expect(await page.locator('#child-0-givenName').inputValue()).toBe('Rowan');
    await page.locator('#child-1-givenName').fill('Ash');
    await page.locator('#child-1-familyName').fill('Test-Child');
    await page
      .getByLabel('How do you know the family is known to that area?')
      .fill('Mother said a Birmingham health visitor saw the baby');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the request' }).click()]);
    await requester.check();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter what the concern is');
    await page.getByLabel('What is the concern?').fill('Not registered with a GP; missed the new-birth visit');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the request' }).click()]);
    await requester.check();
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/transfer-requests\/[0-9a-f-]{36}$/);
    const requestId = path.split('/').pop()!;
    const sent = await page.locator('main').innerText();
    expect(sent).toContain('Your request was sent to Birmingham Health Visiting (Erdington)');
    expect(sent).toContain('Awaiting an answer');
    expect(sent).toContain('Rowan Test-Child');
    expect(sent).toContain('Ash Test-Child');
    await requester.close();

    const originator = await new Person(browser, stack, hana).open();
    page = originator.page;
    page.setDefaultTimeout(15_000);
    await originator.signIn('/transfer-requests');
    const incoming = page.locator('table', { hasText: 'Incoming' });
    await Promise.all([page.waitForNavigation(), incoming.getByRole('link').first().click()]);
    await originator.check();
    expect(new URL(page.url()).pathname).toBe(`/transfer-requests/${requestId}`);
    // Nothing chosen: the GOV.UK error summary.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the answer' }).click()]);
    await originator.check();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select your answer');
    await page.getByLabel('Yes, we will transfer the family').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the answer' }).click()]);
    await originator.check();
    const draftPath = new URL(page.url()).pathname;
    expect(draftPath).toMatch(/^\/transfers\/new\/[0-9a-f-]{36}$/);
    const transferId = draftPath.split('/').pop()!;
    await originator.screenshot('transfer-request-answered-draft');

    const request = (await stack.api(hana, 'GET', `/v1/transfer-requests/${requestId}`)).body;
    expect([request.status, request.transferId]).toEqual(['will_transfer', transferId]);
    const draft = (await stack.api(hana, 'GET', `/v1/transfers/${transferId}`)).body;
    expect(draft.status).toBe('draft');
    expect(draft.household.map((m: { givenName: string; role: string }) => `${m.role} ${m.givenName}`)).toEqual([
      'child Rowan',
      'child Ash',
    ]);
    expect(draft.receiving.teamName).toMatch(/^Sandwell Health Visiting/);

    // The request page now says it was answered and links to the draft.
    await originator.goto(`/transfer-requests/${requestId}`);
    expect(await page.locator('main').innerText()).toContain('Will transfer');
    expect(await page.getByRole('link', { name: 'Complete and send the transfer' }).getAttribute('href')).toBe(
      `/transfers/new/${transferId}`,
    );
    expect([...requester.violations, ...originator.violations]).toEqual([]);
    await originator.close();
  }, 240_000);
});
