import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { launchChromium, Person, SCREENS, Stack, startStack } from './stack';

/**
 * `/monitoring` in a real browser: a manager sees who is between two areas (the API's list, most
 * overdue first, paged), filters it, and reads the summary as accessible SVG charts with the same
 * numbers in tables; a practitioner gets a clear 403 page; an admin sees every area.
 */
describe('monitoring (/monitoring)', () => {
  let stack: Stack;
  let browser: Browser;
  const references: string[] = [];
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    for (let i = 0; i < 27; i++) references.push((await stack.seedTransfer()).reference);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('a receiving manager sees the list (paged), the charts and their tables, and filters', async () => {
    const nadia = await new Person(browser, stack, 'nadia.hussain@sandwell.demo').open();
    const page = nadia.page;
    page.setDefaultTimeout(10_000);
    await nadia.signIn('/monitoring');
    expect(await page.locator('h1').innerText()).toBe('Monitoring');
    expect(await page.locator('.govuk-caption-l').innerText()).toContain('Sandwell Health Visiting');

    const api = (await stack.api('nadia.hussain@sandwell.demo', 'GET', '/v1/monitoring/unconfirmed?limit=25')).body;
    const shown = await page.locator('#unconfirmed-list').locator('tbody tr th a').allInnerTexts();
    expect(shown).toEqual(api.items.map((t: { reference: string }) => t.reference));
    expect(shown).toHaveLength(25);
    const firstRow = await page.locator('#unconfirmed-list').locator('tbody tr').first().innerText();
    expect(firstRow).toMatch(/Birmingham Health Visiting.* to Sandwell Health Visiting/);
    expect(firstRow).toContain('Bruising or injury on a baby who is not yet mobile');

    // The summary: three charts, each an image with a title and a description, and a table of the same numbers.
    const summary = (await stack.api('nadia.hussain@sandwell.demo', 'GET', '/v1/monitoring/summary')).body;
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const labelledBy = (await charts.nth(i).getAttribute('aria-labelledby'))!.split(' ');
      expect(await page.locator(`[id="${labelledBy[0]}"]`).textContent()).toBeTruthy();
      expect(await page.locator(`[id="${labelledBy[1]}"]`).textContent()).toMatch(/\d/);
    }
    const statusDesc = await page.locator('#chart-status-desc').textContent();
    expect(statusDesc).toContain(`Awaiting contact: ${summary.countsByStatus.awaiting_contact} transfers`);
    const waitingTable = await page.locator('.console-chart-block').nth(1).locator('table').innerText();
    const total = summary.unconfirmedByWorkingDaysWaiting.reduce(
      (sum: number, b: { count: number }) => sum + b.count,
      0,
    );
    expect(total).toBe(summary.unconfirmed);
    expect(waitingTable).toContain(`0 working days\t${summary.unconfirmedByWorkingDaysWaiting[0].count}`);
    const chaseTable = await page.locator('.console-chart-block').nth(2).locator('table').innerText();
    expect(chaseTable).toContain(`GP registration\t${summary.openChaseItems.gp_registration['0']}`);
    await nadia.screenshot('monitoring');
    await page.locator('.console-summary').screenshot({ path: join(SCREENS, 'monitoring-charts.png') });

    // Pages: the next one holds the rest, and the way back.
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /Next page/ }).click()]);
    await nadia.check();
    expect(new URL(page.url()).searchParams.get('cursor')).toBe(api.nextCursor);
    const rest = await page.locator('#unconfirmed-list').locator('tbody tr th a').allInnerTexts();
    expect(rest.length).toBe(summary.unconfirmed - 25);
    expect(rest.some((r) => shown.includes(r))).toBe(false);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /First page/ }).click()]);

    // Filters (a GET form): overdue only — nothing is overdue yet.
    await page.getByLabel('Overdue only').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Apply filters' }).click()]);
    await nadia.check();
    expect(new URL(page.url()).searchParams.get('overdue')).toBe('true');
    expect(await page.locator('main').innerText()).toContain('Nobody is between two areas for these filters.');
    // A malformed filter is left out, never an error page.
    await nadia.goto('/monitoring?team=not-a-uuid&area=%3Cscript%3E&cursor=%25%25');
    expect(await page.locator('h1').innerText()).toBe('Monitoring');
    expect(nadia.violations).toEqual([]);
    await nadia.close();
  }, 180_000);

  it('a practitioner gets a clear 403 page; an admin sees every area', async () => {
    const harriet = await new Person(browser, stack, 'harriet.shaw@sandwell.demo').open();
    await harriet.signIn('/');
    expect(await harriet.page.getByRole('link', { name: 'Monitoring' }).count()).toBe(0);
    const refused = await harriet.page.goto(`${stack.webUrl}/monitoring`);
    expect(refused!.status()).toBe(403);
    expect(await harriet.page.locator('h1').innerText()).toBe(
      'Monitoring is for managers, safeguarding leads and administrators',
    );
    await harriet.check();
    expect(harriet.violations).toEqual([]);
    await harriet.close();

    const admin = await new Person(browser, stack, 'admin@demo.local').open();
    await admin.signIn('/monitoring');
    expect(await admin.page.locator('.govuk-caption-l').innerText()).toBe('All areas');
    expect(await admin.page.locator('#unconfirmed-list').locator('tbody tr').count()).toBe(25);
    expect(admin.violations).toEqual([]);
    await admin.close();
  }, 120_000);
});
