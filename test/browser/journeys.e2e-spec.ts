import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../support/wait';
import { launchChromium, Person, Stack, startStack } from './stack';

const HANA = 'hana.begum@birmingham.demo'; // sending health visitor
const HARRIET = 'harriet.shaw@sandwell.demo'; // receiving health visitor
const LENA = 'lena.novak@sandwell.demo'; // Sandwell safeguarding lead
const FAMILY_NAME = 'Quillfeather';

/** Presses Tab until the element with this id has focus: the keyboard, and nothing else, moves through the form. */
async function tabTo(page: Page, id: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => (globalThis as any).document.activeElement?.id)) === id) return;
  }
  throw new Error(`Tab never reached #${id}`);
}

describe('the console in a real browser (built apps, dev identity provider, PostgreSQL, Redis, SMTP)', () => {
  let stack: Stack;
  let browser: Browser;
  const people: Person[] = [];
  const person = async (email: string, options: { javaScriptEnabled?: boolean } = {}) => {
    const p = await new Person(browser, stack, email, options).open();
    people.push(p);
    return p;
  };

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, 60_000);

  it('takes the review family from awaiting contact to accepted, each person in their own browser, every page accessible', async () => {
    const { id, reference } = await stack.seedTransfer();

    // The receiving health visitor follows the link in the email her team was sent, and lands on the transfer after signing in.
    const link = `${stack.webUrl}/transfers/${id}`;
    await waitFor(
      'the new-transfer email to the receiving team',
      () => stack.smtp.messages.some((m) => m.text.includes(link)),
      60_000,
    );
    const email = stack.smtp.messages.find((m) => m.text.includes(link))!;
    expect(email.text).not.toContain(FAMILY_NAME);
    const harriet = await person(HARRIET);
    await harriet.page.goto(email.text.match(new RegExp(`${stack.webUrl}/transfers/[0-9a-f-]{36}[^\\s]*`))![0]);
    await harriet.page.getByLabel('Email address').waitFor();
    await harriet.check();
    await harriet.screenshot('sign-in');
    await harriet.page.getByLabel('Email address').fill(HARRIET);
    await harriet.page.getByRole('button', { name: 'Sign in' }).click();
    await harriet.page.waitForURL(link);
    await harriet.check();
    const page = harriet.page;
    expect(await page.locator('h1').innerText()).toContain(reference);
    // Risk flags first, critical ones as warning text; the accept button is not offered and the page says why.
    const warnings = await page.locator('.govuk-warning-text').allInnerTexts();
    expect(warnings.length).toBe(2);
    expect(warnings.join(' ')).toMatch(/not independently mobile/);
    expect(await page.getByRole('button', { name: 'Accept the transfer' }).count()).toBe(0);
    expect(await page.locator('main').innerText()).toMatch(/Accept the transfer: .*contact/i);
    await harriet.screenshot('transfer-awaiting-contact');

    // Record the conversation: the interruption page lists the critical flags, then the form, by keyboard alone.
    await page.getByRole('button', { name: 'Record the conversation' }).click();
    await page.waitForURL(`${stack.webUrl}/transfers/${id}/conversation`);
    await harriet.check();
    expect(await page.locator('main li').count()).toBe(2);
    await harriet.screenshot('conversation-interruption');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/conversation\/record$/);
    await harriet.check();

    // The form takes minutes: wait, if need be, for the first whole minute after the transfer was sent.
    const initiatedAt = new Date((await stack.api(HARRIET, 'GET', `/v1/transfers/${id}`)).body.initiatedAt).getTime();
    const minute = Math.ceil(initiatedAt / 60_000) * 60_000;
    if (Date.now() < minute) await new Promise((r) => setTimeout(r, minute - Date.now() + 200));
    const now = new Date();
    const london = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
    const part = (type: string) => london.find((p) => p.type === type)!.value;
    await tabTo(page, 'occurred-day');
    await page.keyboard.type(part('day'));
    await page.keyboard.press('Tab');
    await page.keyboard.type(part('month'));
    await page.keyboard.press('Tab');
    await page.keyboard.type(part('year'));
    await tabTo(page, 'occurred-time');
    await page.keyboard.type(`${part('hour')}:${part('minute')}`);
    await tabTo(page, 'method');
    await page.keyboard.press('Space'); // phone
    await tabTo(page, 'sendingPractitionerId');
    await page.keyboard.press('ArrowDown'); // the one Birmingham health visitor is first… choose by typing her name
    await page.keyboard.type('Hana');
    await tabTo(page, 'summary');
    await page.keyboard.type('Talked through the bruise, the father’s history and the GP position with Hana.');
    const flagIds = await page.locator('textarea[id^="flag-"]').evaluateAll((els) => els.map((e) => e.id));
    expect(flagIds.length).toBeGreaterThanOrEqual(5);
    for (const flagId of flagIds) {
      await tabTo(page, flagId);
      await page.keyboard.type('Discussed and understood: we will act on it.');
    }
    // "Add an action" is a real submit: the form comes back with a new row (no JavaScript needed).
    await tabTo(page, 'add-action');
    await page.keyboard.press('Enter');
    await page.locator('#action-0-description').waitFor();
    await harriet.check();
    await tabTo(page, 'action-0-description');
    await page.keyboard.type('Register the baby with a GP');
    await tabTo(page, 'action-0-owner');
    await page.keyboard.press('Space'); // receiving team
    const due = new Date(Date.now() + 3 * 86_400_000);
    await tabTo(page, 'action-0-due-day');
    await page.keyboard.type(String(due.getUTCDate()));
    await page.keyboard.press('Tab');
    await page.keyboard.type(String(due.getUTCMonth() + 1));
    await page.keyboard.press('Tab');
    await page.keyboard.type(String(due.getUTCFullYear()));
    await harriet.screenshot('conversation-form');
    await tabTo(page, 'submit');
    await Promise.all([page.waitForEvent('framenavigated'), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    if (!page.url().includes('done=contact'))
      throw new Error(
        `the form came back: ${await page
          .locator('.govuk-error-summary')
          .innerText()
          .catch(() => 'no error summary')}`,
      );
    await harriet.check();
    expect(await page.locator('.govuk-notification-banner').innerText()).toMatch(/conversation has been recorded/);
    expect((await stack.api(HARRIET, 'GET', `/v1/transfers/${id}`)).body.status).toBe('contact_recorded');

    // The sending health visitor checks it back from her work list.
    const hana = await person(HANA);
    await hana.signIn('/');
    expect(await hana.page.locator('h1').innerText()).toBe('Your work');
    await hana.screenshot('your-work-sender');
    await hana.page.getByRole('link', { name: new RegExp(`Check back the conversation for ${reference}`) }).click();
    await hana.page.waitForURL(/check-back$/);
    await hana.check();
    expect(await hana.page.locator('main').innerText()).toContain('Register the baby with a GP');
    await hana.page.getByLabel('Yes').check();
    await hana.screenshot('check-back');
    await Promise.all([
      hana.page.waitForURL(/done=check-back-agreed/),
      hana.page.getByRole('button', { name: 'Send your answer' }).click(),
    ]);
    await hana.check();

    // Accepting is still blocked: the receiver's page says a safeguarding lead must give advice.
    await harriet.goto(`/transfers/${id}`);
    expect(await page.getByRole('button', { name: 'Accept the transfer' }).count()).toBe(0);
    expect(await page.locator('main').innerText()).toMatch(/safeguarding lead/i);

    // The Sandwell safeguarding lead gives advice on each critical flag.
    const lena = await person(LENA);
    await lena.signIn('/');
    await lena.page.getByRole('link', { name: new RegExp(`Give advice on ${reference}`) }).click();
    await lena.page.waitForURL(/advice$/);
    await lena.check();
    for (const box of await lena.page.locator('textarea').all())
      await box.fill('Child protection medical arranged; strategy discussion with MASH today.');
    await lena.screenshot('advice');
    await Promise.all([
      lena.page.waitForURL(/done=advice/),
      lena.page.getByRole('button', { name: 'Record your advice' }).click(),
    ]);
    await lena.check();
    expect(await lena.page.locator('#timeline').count()).toBe(1); // leads may read the audit trail

    // The receiver accepts, naming herself as the lead.
    await harriet.goto(`/transfers/${id}`);
    await page.getByRole('button', { name: 'Accept the transfer' }).click();
    await page.waitForURL(/accept$/);
    await harriet.check();
    await harriet.screenshot('accept');
    await Promise.all([
      page.waitForURL(/done=accepted/),
      page.getByRole('button', { name: 'Accept the transfer' }).click(),
    ]);
    await harriet.check();
    expect(await page.locator('h1').innerText()).toContain('Accepted');
    expect(await page.locator('main').innerText()).toContain('Harriet Shaw');
    await harriet.screenshot('transfer-accepted');
    await harriet.goto('/');
    await harriet.screenshot('your-work-receiver');
    await lena.goto(`/transfers/${id}`);
    const timeline = await lena.page.locator('.moj-timeline__item').allInnerTexts();
    expect(timeline[0]).toMatch(/Transfer accepted[\s\S]*Harriet Shaw/);
    expect(timeline.join('\n')).toMatch(
      /Safeguarding advice given[\s\S]*Conversation checked back[\s\S]*Conversation recorded[\s\S]*Transfer sent/,
    );
    await lena.screenshot('transfer-timeline');

    // A transfer that does not exist and one that is not yours look the same.
    await harriet.goto('/transfers/00000000-0000-4000-8000-000000000000');
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    await harriet.screenshot('not-found');

    const violations = people.flatMap((p) => p.violations);
    expect(violations).toEqual([]);
    expect(people.reduce((n, p) => n + p.visited.length, 0)).toBeGreaterThan(15);
  }, 240_000);

  it('refuses a POST without the CSRF token, and after sign-out the back button shows nothing of the family', async () => {
    const { id } = await stack.seedTransfer();
    const hana = await person(HANA);
    await hana.signIn(`/transfers/${id}`);
    const page = hana.page;
    expect(await page.locator('main').innerText()).toContain(FAMILY_NAME);

    // The session cookie: opaque, HttpOnly, SameSite=Lax; every page no-store with a nonce-based CSP.
    const cookie = (await hana.context.cookies()).find((c) => c.name === 'fh_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const response = await page.request.get(`${stack.webUrl}/transfers/${id}`);
    expect(response.headers()['cache-control']).toBe('no-store');
    const csp = response.headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
    expect(csp).not.toContain('unsafe-inline');

    // The same browser, signed in, posting the cancel form without the token (or with a wrong one): 403, nothing changes.
    for (const form of [
      { reason: 'family did not move' },
      { reason: 'family did not move', _csrf: 'x'.repeat(43) },
    ] as Record<string, string>[]) {
      const refused = await page.request.post(`${stack.webUrl}/transfers/${id}/cancel`, { form, maxRedirects: 0 });
      expect(refused.status()).toBe(403);
    }
    expect((await stack.api(HANA, 'GET', `/v1/transfers/${id}`)).body.status).toBe('awaiting_contact');

    // Sign out: here, and at the identity provider.
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign out' }).waitFor();
    await hana.check();
    await Promise.all([
      page.waitForURL(`${stack.webUrl}/signed-out`),
      page.getByRole('button', { name: 'Yes, sign out' }).click(),
    ]);
    await hana.check();
    await hana.screenshot('signed-out');
    for (let i = 0; i < 4; i++) {
      await page.goBack().catch(() => undefined);
      await page.waitForLoadState('load');
      expect(await page.content()).not.toContain(FAMILY_NAME);
    }
    // The old session is gone: the transfer page asks for sign-in again.
    await page.goto(`${stack.webUrl}/transfers/${id}`);
    expect(page.url().startsWith(stack.idpUrl)).toBe(true);
    expect(await page.content()).not.toContain(FAMILY_NAME);
    expect(hana.violations).toEqual([]);
  }, 120_000);
});
