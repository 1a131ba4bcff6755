import { createViewEnvironment } from '../view.service.js';
import { transferPage } from './transfer.page.js';
import type { Transfer } from './transfer.types.js';

/**
 * The console's appointment outcome page (issue 14 item 5): the new choices — no access, cancelled
 * and rescheduled by the carer, the last with its new date — and the transfer page's link to it.
 */
describe('appointment outcome page', () => {
  const env = createViewEnvironment();
  const appointment = {
    id: '30000000-0000-4000-8000-000000000000',
    memberId: 'm1',
    kind: 'health_visitor_review',
    provider: 'Sandwell HV',
    dueOn: '2026-12-01',
    status: 'rescheduled',
    attendedOn: null,
    rebookedFor: null,
    rescheduledFor: '2026-12-09',
  };
  const t = {
    id: '10000000-0000-4000-8000-000000000000',
    reference: 'HT-2026-000042',
    status: 'accepted',
    version: 5,
    kind: 'transfer',
    moveDate: '2026-11-20',
    sending: { area: 'birmingham', teamId: 's', teamName: 'Birmingham Health Visiting' },
    receiving: { area: 'sandwell', teamId: 'r', teamName: 'Sandwell Health Visiting' },
    accountablePractitioner: { id: 'p1', name: 'Hana Begum', teamId: 'r' },
    household: [{ id: 'm1', role: 'child', givenName: 'Ada', familyName: 'Example', gp: { status: 'registered' } }],
    concerns: [],
    appointments: [appointment],
    riskFlags: [],
    availableActions: [],
    directContact: null,
    latestPacket: null,
    initiatedAt: '2026-11-23T10:00:00Z',
  } as unknown as Transfer;
  const base = { csrfToken: 'x', errors: { errorList: [], fields: {} }, title: 't' };

  it('offers every outcome, with the new date for a reschedule and an optional rebooked date for the rest', () => {
    const html = env.render('pages/appointment-outcome.njk', {
      ...base,
      t,
      appointment: { ...appointment, who: 'Ada Example' },
      idempotencyKey: 'k',
      back: '/',
      form: { status: 'rescheduled' },
    });
    expect(html).toContain(`action="/transfers/${t.id}/appointments/${appointment.id}/outcome"`);
    for (const value of ['attended', 'was_not_brought', 'no_access', 'cancelled_by_carer', 'rescheduled'])
      expect(html).toContain(`value="${value}"`);
    expect(html).toContain('A home visit where no one answered.');
    expect(html).toContain('What is the new date?');
    expect(html).toContain('name="rescheduled-day"');
    expect(html).toContain('name="rebooked-na-day"');
    expect(html).toMatch(/value="rescheduled" checked/);
  });

  it('shows a missing new date at the field, with what was typed kept', () => {
    const html = env.render('pages/appointment-outcome.njk', {
      ...base,
      errors: {
        errorList: [{ text: 'Enter the new date', href: '#rescheduled-day' }],
        fields: { 'rescheduled-day': { text: 'Enter the new date' } },
      },
      t,
      appointment: { ...appointment, who: 'Ada Example' },
      idempotencyKey: 'k',
      back: '/',
      form: { status: 'rescheduled', 'rescheduled-month': '12' },
    });
    expect(html).toContain('govuk-error-message');
    expect(html).toMatch(/<span class="govuk-visually-hidden">Error:<\/span> Enter the new date/);
    expect(html).toMatch(/name="rescheduled-month" type="text" value="12"|name="rescheduled-month"[^>]*value="12"/);
  });

  it('the transfer page shows the new date and links each appointment to its outcome page while in progress', () => {
    const html = env.render('pages/transfer.njk', { ...base, ...transferPage(t, [], null, [], null) });
    expect(html).toContain(`href="/transfers/${t.id}/appointments/${appointment.id}/outcome"`);
    expect(html).toContain('now on');
    const closed = env.render('pages/transfer.njk', {
      ...base,
      ...transferPage({ ...t, status: 'closed' } as Transfer, [], null, [], null),
    });
    expect(closed).not.toContain('/outcome"');
  });
});
