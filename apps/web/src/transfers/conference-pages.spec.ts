import { createViewEnvironment } from '../view.service.js';
import { monitoringPage } from '../monitoring/monitoring.page.js';
import type { MonitoringSummary } from '../monitoring/monitoring.page.js';
import { transferPage } from './transfer.page.js';
import type { Transfer } from './transfer.types.js';

/**
 * The console's child-protection pages (issue 13 item 1) render from the API's resource: the transfer
 * page shows the interim arrangement, the conference due date, the conference once recorded and its
 * written outcome, and offers the two commands only when availableActions allows them.
 */
describe('child-protection conference pages', () => {
  const env = createViewEnvironment();
  const t = {
    id: '10000000-0000-4000-8000-000000000001',
    reference: 'HT-2026-000043',
    status: 'awaiting_conference',
    version: 7,
    involvement: 'child_protection',
    moveDate: '2026-11-20',
    moveType: 'permanent',
    kind: 'transfer',
    reason: null,
    newAddress: null,
    leftSupportNetwork: false,
    supportNetworkNote: null,
    noMaleCarerReason: null,
    sending: { area: 'birmingham', teamId: 's', teamName: 'Birmingham Health Visiting' },
    receiving: { area: 'sandwell', teamId: 'r', teamName: 'Sandwell Health Visiting' },
    accountablePractitioner: { id: 'p1', name: 'Hana Begum', teamId: 's' },
    interimLead: { id: 'p2', name: 'Harriet Shaw', teamId: 'r' },
    household: [],
    concerns: [],
    appointments: [],
    riskFlags: [],
    contactDueAt: null,
    overdue: false,
    directContact: null,
    conference: {
      dueAt: '2026-12-14T17:00:00.000Z',
      overdue: false,
      heldOn: null,
      outcome: null,
      chair: null,
      notes: null,
      recordedById: null,
      recordedAt: null,
      writtenOutcome: null,
    },
    latestPacket: null,
    availableActions: [
      { action: 'recordConference', allowed: true, reasons: [] },
      { action: 'cancel', allowed: false, reasons: [] },
    ],
    initiatedAt: '2026-11-23T10:00:00Z',
    acceptedAt: '2026-11-27T10:00:00Z',
    returnReason: null,
    cancelReason: null,
  } as unknown as Transfer;
  const base = { csrfToken: 'x', errors: { errorList: [], fields: {} }, title: 't' };
  const render = (transfer: Transfer) =>
    env.render('pages/transfer.njk', { ...base, ...transferPage(transfer, [], null, [], null) });

  it('awaiting the conference: the status, the interim arrangement, the due date and Record the conference', () => {
    const html = render(t);
    expect(html).toContain('Awaiting conference');
    expect(html).toContain('govuk-tag--purple');
    expect(html).toContain(
      'Hana Begum stays accountable until the transfer-in conference’s written outcome is confirmed; ' +
        'Harriet Shaw (Sandwell) runs the plan on Birmingham’s behalf as interim lead.',
    );
    expect(html).toContain('Interim lead');
    expect(html).toMatch(/Transfer-in conference[\s\S]*Due by/);
    expect(html).toContain(`href="/transfers/${t.id}/conference"`);
    expect(html).not.toContain('Confirm the written outcome');
  });

  it('once recorded: the conference card with outcome, chair and notes; then the written outcome once confirmed', () => {
    const recorded = {
      ...t,
      conference: {
        ...t.conference!,
        heldOn: '2026-12-08',
        outcome: 'plan_continues',
        chair: 'Dana Okafor',
        notes: 'Core group within 10 working days',
      },
      availableActions: [{ action: 'confirmConference', allowed: true, reasons: [] }],
    } as Transfer;
    const html = render(recorded);
    expect(html).toContain('Conference held on 8 December 2026');
    expect(html).toContain('The child protection plan continues');
    expect(html).toContain('Dana Okafor');
    expect(html).toContain('Core group within 10 working days');
    expect(html).toContain('Waiting for the written outcome');
    expect(html).toContain(`href="/transfers/${t.id}/conference/confirm"`);
    expect(html).not.toContain('Due by');

    const confirmed = {
      ...recorded,
      status: 'accepted',
      accountablePractitioner: { id: 'p2', name: 'Harriet Shaw', teamId: 'r' },
      interimLead: null,
      conference: {
        ...recorded.conference!,
        writtenOutcome: { receivedOn: '2026-12-10', confirmedById: 'p1', confirmedAt: null },
      },
      availableActions: [],
    } as Transfer;
    const after = render(confirmed);
    expect(after).toContain('Written outcome confirmed');
    expect(after).toContain('10 December 2026');
    expect(after).not.toContain('interim lead');
    expect(after).toContain('Harriet Shaw (Sandwell Health Visiting)');
  });

  it('any other transfer shows none of it', () => {
    const html = render({
      ...t,
      involvement: 'child_in_need',
      status: 'accepted',
      interimLead: null,
      conference: null,
    } as Transfer);
    expect(html).not.toContain('Transfer-in conference');
    expect(html).not.toContain('Interim');
  });

  it('the accept page says a child-protection lead becomes interim lead and the sender stays accountable', () => {
    const accept = (transfer: Transfer) =>
      env.render('pages/accept.njk', { ...base, t: transfer, version: 7, idempotencyKey: 'k', back: '/', leads: [] });
    expect(accept({ ...t, status: 'contact_confirmed' } as Transfer)).toContain(
      'the person you choose becomes the interim lead: they run the plan on Birmingham Health Visiting’s behalf',
    );
    expect(accept({ ...t, status: 'contact_confirmed', involvement: 'child_in_need' } as Transfer)).toContain(
      'the person you choose becomes accountable for these children',
    );
  });

  it('the conference page asks the date, the outcome, the chair and notes, with errors where they belong', () => {
    const html = env.render('pages/conference.njk', {
      ...base,
      errors: {
        errorList: [{ text: 'Enter who chaired the conference', href: '#chair' }],
        fields: { chair: { text: 'Enter who chaired the conference' } },
      },
      t,
      version: 7,
      idempotencyKey: 'k',
      back: '/',
      form: { 'held-day': '8' },
      outcomes: [
        { value: 'plan_continues', text: 'The child protection plan continues', checked: false },
        { value: 'plan_not_continued', text: 'The child protection plan does not continue', checked: false },
      ],
    });
    expect(html).toContain(`action="/transfers/${t.id}/conference"`);
    expect(html).toContain('id="held-day"');
    expect(html).toContain('value="plan_not_continued"');
    expect(html).toMatch(/id="chair-error"[\s\S]*Enter who chaired the conference/);
    expect(html).toContain('href="#chair"');
  });

  it('the confirmation page asks when the written outcome arrived and says who becomes accountable', () => {
    const html = env.render('pages/conference-confirm.njk', {
      ...base,
      t,
      version: 7,
      idempotencyKey: 'k',
      back: '/',
      form: {},
      conference: null,
    });
    expect(html).toContain(`action="/transfers/${t.id}/conference/confirm"`);
    expect(html).toContain('When did you receive the written outcome?');
    expect(html).toContain('Harriet Shaw becomes accountable');
  });

  it('the monitoring page shows how many wait for a transfer-in conference and how many conferences are overdue', () => {
    const summary: MonitoringSummary = {
      asOf: '2026-12-15T09:00:00Z',
      countsByStatus: { awaiting_conference: 3 },
      unconfirmed: 0,
      unconfirmedOverdue: 0,
      awaitingConference: 3,
      conferencesOverdue: 2,
      openChaseItems: {},
      failedEmails: 0,
      oldestUnconfirmed: null,
    };
    const html = env
      .render('pages/monitoring/index.njk', {
        ...base,
        scope: 'All areas',
        summary,
        ...monitoringPage(summary, []),
        filters: { area: '', team: '', overdue: false },
        areas: [],
        teams: [],
      })
      .replace(/\s+/g, ' ');
    expect(html).toContain('<span class="console-figure">3</span> awaiting a transfer-in conference');
    expect(html).toContain('<span class="console-figure">2</span> conferences overdue');
  });
});
