import type { Browser, Page } from 'playwright-core';
import { launchChromium, Person, Stack, startStack } from './stack';

/**
 * `/transfers/new` in a real browser, with JavaScript off (every section is a plain form): a
 * sending health visitor starts a transfer, leaves it and resumes it, fills every section, meets
 * the console's own checks and the API's refusals (400 and 422) as GOV.UK error summaries, checks
 * the answers with the risk flags they raise, and sends it. axe-core (WCAG 2.2 A/AA) on every page.
 */
describe('start a transfer (/transfers/new)', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function submit(person: Person, name: string): Promise<void> {
    await Promise.all([
      person.page.waitForNavigation({ waitUntil: 'load' }),
      person.page.getByRole('button', { name, exact: true }).click(),
    ]);
    await person.check();
  }
  async function follow(person: Person, name: string): Promise<void> {
    await Promise.all([
      person.page.waitForNavigation({ waitUntil: 'load' }),
      person.page
        .getByRole('link', { name, exact: true })
        .or(person.page.getByRole('button', { name, exact: true }))
        .first()
        .click(),
    ]);
    await person.check();
  }
  const date = async (page: Page, id: string, iso: string) => {
    const [y, m, d] = iso.split('-');
    await page.fill(`#${id}-day`, String(Number(d)));
    await page.fill(`#${id}-month`, String(Number(m)));
    await page.fill(`#${id}-year`, y);
  };
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const errorSummary = (page: Page) => page.locator('.govuk-error-summary').innerText();

  it('a sending health visitor starts, leaves, resumes and sends a transfer; errors are shown where they belong', async () => {
    const hana = await new Person(browser, stack, 'hana.begum@birmingham.demo', { javaScriptEnabled: false }).open();
    const page = hana.page;
    page.setDefaultTimeout(10_000);
    await hana.signIn('/transfers/new');
    expect(await page.locator('h1').innerText()).toBe('Start a transfer');

    // Receiving team: the area (not Birmingham, her own), then the team.
    await follow(hana, 'Start a new transfer');
    expect(await page.getByRole('radio', { name: 'Birmingham' }).count()).toBe(0);
    await page.getByRole('radio', { name: 'Sandwell' }).check();
    await submit(hana, 'Continue');
    await page.getByRole('radio', { name: 'Sandwell Health Visiting' }).check();
    await submit(hana, 'Continue');
    expect(new URL(page.url()).pathname).toBe('/transfers/new/move-details');

    // Move details: the console's own checks (an impossible date), then the draft is created.
    await date(page, 'moveDate', '2026-02-30');
    await submit(hana, 'Save and continue');
    expect(await errorSummary(page)).toContain('The move date must be a real date');
    expect(await errorSummary(page)).toContain('Select whether the move is permanent');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.inputValue('#moveDate-day')).toBe('30');
    await date(page, 'moveDate', daysAgo(10));
    await page.check('input[name="moveType"][value="permanent"]');
    await page.check('input[name="involvement"][value="child_in_need"]');
    await page.fill('#reason', 'Family moved to live near father’s relatives');
    await page.fill('#previousAddressArea', 'birmingham');
    await page.fill('#addressLine1', '12 Quillfeather Row');
    await page.fill('#addressTown', 'West Bromwich');
    await page.fill('#addressPostcode', 'not a postcode');
    await submit(hana, 'Save and continue');
    // The API's 400, on the field it names, in plain words.
    expect(await errorSummary(page)).toContain('Postcode must be a UK postcode');
    expect(await page.locator('#addressPostcode-error').innerText()).toContain('Postcode must be a UK postcode');
    await page.fill('#addressPostcode', 'B70 9ZZ');
    await submit(hana, 'Save and continue');
    const taskList = new URL(page.url()).pathname;
    expect(taskList).toMatch(/^\/transfers\/new\/[0-9a-f-]{36}$/);
    const id = taskList.split('/').pop()!;
    expect(page.url()).not.toContain('Quillfeather');
    await hana.screenshot('new-transfer-task-list-start');

    // Leave, and resume from the start page.
    await hana.goto('/');
    await hana.goto('/transfers/new');
    const reference = (await stack.api('hana.begum@birmingham.demo', 'GET', `/v1/transfers/${id}`)).body
      .reference as string;
    await follow(hana, reference);
    expect(new URL(page.url()).pathname).toBe(taskList);
    expect(
      await page
        .locator('.govuk-task-list__item', { hasText: 'Move details' })
        .locator('.govuk-task-list__status')
        .innerText(),
    ).toBe('Completed');

    // Household: add the baby, then "add another member" for the father.
    await follow(hana, 'Household');
    await follow(hana, 'Add a person');
    await page.selectOption('#role', 'child');
    await page.fill('#givenName', 'Zephyrine');
    await page.fill('#familyName', 'Quillfeather');
    await date(page, 'dateOfBirth', daysAgo(125));
    await page.check('input[name="sex"][value="female"]');
    await page.fill('#nhsNumber', '9434765918');
    await page.check('input[name="livesInHousehold"][value="yes"]');
    await page.check('input[name="mobility"][value="non_mobile"]');
    await submit(hana, 'Save and add another member');
    // A wrong NHS number check digit: the API's 400 on the NHS number field, what was typed kept.
    expect(await page.locator('#nhsNumber-error').innerText()).toContain('NHS number');
    expect(await page.inputValue('#givenName')).toBe('Zephyrine');
    await page.fill('#nhsNumber', '');
    await submit(hana, 'Save and add another member');
    expect(new URL(page.url()).pathname).toBe(`/transfers/new/${id}/household/add`);
    await page.selectOption('#role', 'father');
    await page.fill('#givenName', 'Barnaby');
    await page.fill('#familyName', 'Thistlewood');
    await date(page, 'dateOfBirth', '1995-08-02');
    await page.check('input[name="sex"][value="male"]');
    await page.check('input[name="livesInHousehold"][value="yes"]');
    await page.check('input[name="engaged"][value="no"]');
    await page.check('input[name="riskFactors"][value="offending"]');
    await page.fill('#agency0-agency', 'probation');
    await page.fill('#agency0-area', 'london');
    await page.fill('#agency0-detail', 'supervision order, not engaging');
    await submit(hana, 'Add another agency');
    expect(await page.inputValue('#agency0-agency')).toBe('probation');
    await page.fill('#agency1-agency', 'crc');
    await page.fill('#agency1-area', 'birmingham');
    await hana.screenshot('new-transfer-member');
    await submit(hana, 'Save and continue');
    expect(await page.locator('main').innerText()).toContain('You have added 2 people');
    await follow(hana, 'Continue');

    // Send too early: the 422 reasons as an error summary, each linking to the section that puts it right.
    await follow(hana, 'Check your answers');
    await submit(hana, 'Send the transfer');
    const early = await errorSummary(page);
    expect(early).toContain('Confirm who lives in the household');
    expect(early).toContain('GP status');
    expect(early).toContain('lawful basis');
    expect(await page.locator('.govuk-error-summary a', { hasText: 'lawful basis' }).first().getAttribute('href')).toBe(
      `/transfers/new/${id}/sharing`,
    );
    expect(await page.locator('.govuk-error-summary a', { hasText: 'Confirm who lives' }).getAttribute('href')).toBe(
      `/transfers/new/${id}/confirm-household`,
    );
    await hana.goto(`/transfers/new/${id}`);

    // Children and GP.
    await follow(hana, 'Children and GP');
    await submit(hana, 'Save and continue');
    expect(await errorSummary(page)).toContain('Select whether Zephyrine Quillfeather is registered with a GP');
    await page.check('input[name="m0-gpStatus"][value="not_registered"]');
    await submit(hana, 'Save and continue');

    // Concerns: a row, "add another", then remove the second.
    await follow(hana, 'Concerns');
    await page.selectOption('#c0-memberRef', { label: 'Zephyrine Quillfeather' });
    await page.selectOption('#c0-type', 'bruising');
    await date(page, 'c0-observedOn', daysAgo(14));
    await page.fill('#c0-description', 'fading bruise left cheek');
    await page.check('input[name="c0-adviceSought"][value="no"]');
    await submit(hana, 'Add another concern');
    expect(await page.inputValue('#c0-description')).toBe('fading bruise left cheek');
    await page.selectOption('#c1-memberRef', { label: 'Zephyrine Quillfeather' });
    await page.selectOption('#c1-type', 'weight_faltering');
    await date(page, 'c1-observedOn', daysAgo(30));
    await submit(hana, 'Add another concern');
    await page.check('input[name="c1-remove"]');
    await submit(hana, 'Save and continue');
    let draft = (await stack.api('hana.begum@birmingham.demo', 'GET', `/v1/transfers/${id}`)).body;
    expect(draft.concerns.map((c: { type: string }) => c.type)).toEqual(['bruising']);

    // Appointments: an incomplete row is refused by the console's own checks.
    await follow(hana, 'Appointments');
    await page.selectOption('#a0-memberRef', { label: 'Zephyrine Quillfeather' });
    await page.fill('#a0-kind', 'health_visitor_review');
    await submit(hana, 'Save and continue');
    expect(await errorSummary(page)).toContain('Enter the appointment date');
    expect(
      await page.locator('.govuk-error-summary a', { hasText: 'Enter the appointment date' }).getAttribute('href'),
    ).toBe('#a0-dueOn-day');
    await date(page, 'a0-dueOn', daysAgo(20));
    await page.fill('#a0-provider', 'Birmingham Community Healthcare');
    await page.selectOption('#a0-status', 'was_not_brought');
    await submit(hana, 'Save and continue');

    // Support network, and confirming the household.
    await follow(hana, 'Support network');
    await page.check('input[name="leftSupportNetwork"][value="yes"]');
    await page.fill('#supportNetworkNote', 'lived with maternal grandparents');
    await submit(hana, 'Save and continue');
    await follow(hana, 'Confirm the household');
    await page.check('input[name="householdConfirmed"][value="yes"]');
    await submit(hana, 'Save and continue');

    // Sharing and the family (issue 13 item 4): nothing chosen is the console's own error; then consent.
    await follow(hana, 'Sharing and the family');
    await submit(hana, 'Save and continue');
    expect(await errorSummary(page)).toContain('Select the basis for sharing');
    expect(await errorSummary(page)).toContain('Select whether the family has been told');
    await page.check('input[name="sharingBasis"][value="consent"]');
    await page.fill('#givenBy', 'the mother');
    await date(page, 'givenOn', daysAgo(12));
    await page.check('input[name="familyInformed"][value="yes"]');
    await date(page, 'informedOn', daysAgo(12));
    await hana.screenshot('new-transfer-sharing');
    await submit(hana, 'Save and continue');
    const statuses = await page
      .locator('.govuk-task-list__item')
      .evaluateAll((items) =>
        items.map(
          (li) =>
            `${li.querySelector('a')?.textContent?.trim()}: ${li.querySelector('.govuk-task-list__status')?.textContent?.trim()}`,
        ),
      );
    expect(statuses).toEqual(
      [
        'Receiving team',
        'Move details',
        'Household',
        'Children and GP',
        'Concerns',
        'Appointments',
        'Support network',
        'Confirm the household',
        'Sharing and the family',
      ].map((s) => `${s}: Completed`),
    );
    await hana.screenshot('new-transfer-task-list');

    // Check your answers: a card per person and the flags the answers raise, critical first.
    await follow(hana, 'Check your answers');
    const main = await page.locator('main').innerText();
    expect(main).toContain('Zephyrine Quillfeather – Child');
    expect(main).toContain('Barnaby Thistlewood – Father');
    expect(main).toContain('probation (london) – supervision order, not engaging');
    expect(main).toMatch(/Consent, given by the mother on /);
    const warnings = await page.locator('.govuk-warning-text').allInnerTexts();
    expect(warnings.join('\n')).toContain('Critical');
    draft = (await stack.api('hana.begum@birmingham.demo', 'GET', `/v1/transfers/${id}`)).body;
    const critical = draft.riskFlags.filter((f: { severity: string }) => f.severity === 'critical');
    expect(critical.length).toBeGreaterThan(0);
    for (const f of critical) expect(warnings.join('\n')).toContain(f.summary);
    await hana.screenshot('new-transfer-check-answers');

    await submit(hana, 'Send the transfer');
    expect(await page.locator('.govuk-panel').innerText()).toContain(reference);
    const sent = (await stack.api('hana.begum@birmingham.demo', 'GET', `/v1/transfers/${id}`)).body;
    expect(sent.status).toBe('awaiting_contact');
    expect(sent.household.map((m: { ref: string }) => m.ref)).toEqual(['member-1', 'member-2']);
    expect(sent.household[1].involvements).toEqual([
      expect.objectContaining({ agency: 'probation', area: 'london', detail: 'supervision order, not engaging' }),
      expect.objectContaining({ agency: 'crc', area: 'birmingham' }),
    ]);
    // A sent transfer is no longer a draft: its task list sends the browser to the transfer.
    await page.goto(`${stack.webUrl}/transfers/new/${id}/household`);
    expect(new URL(page.url()).pathname).toBe(`/transfers/${id}`);
    expect(hana.visited.length).toBeGreaterThan(20);
    expect(hana.violations).toEqual([]);
    await hana.close();
    // Some 40 pages, each checked with axe-core: minutes on this 2-core machine, more under load.
  }, 480_000);

  it('someone who may not change a draft gets the transfer page or 404, and a POST without the CSRF token changes nothing', async () => {
    const sender = 'hana.begum@birmingham.demo';
    const teams = await stack.api(sender, 'GET', '/v1/teams?area=sandwell');
    const team = (teams.body as { id: string; service: string }[]).find((t) => t.service === 'health_visiting')!;
    const created = await stack.api(sender, 'POST', '/v1/transfers', {
      receivingTeamId: team.id,
      involvement: 'universal',
      moveDate: '2026-01-05',
      moveType: 'permanent',
    });
    expect(created.status).toBe(201);
    const harriet = await new Person(browser, stack, 'harriet.shaw@sandwell.demo').open();
    await harriet.signIn('/');
    const response = await harriet.page.goto(`${stack.webUrl}/transfers/new/${created.body.id}`);
    expect(response!.status()).toBe(404);
    expect(await harriet.page.locator('h1').innerText()).toBe('Page not found');
    const forged = await harriet.page.request.post(`${stack.webUrl}/transfers/new/${created.body.id}/support-network`, {
      form: { leftSupportNetwork: 'yes', supportNetworkNote: 'x' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    const after = await stack.api(sender, 'GET', `/v1/transfers/${created.body.id}`);
    expect(after.body.version).toBe(created.body.version);
    await harriet.check();
    expect(harriet.violations).toEqual([]);
    await harriet.close();
  }, 120_000);
});
