import { createViewEnvironment } from '../view.service.js';
import { childRowsOf, REQUEST_STATUS_TEXT, requestFormChecks } from './transfer-request.form.js';
import type { TransferRequest } from './transfer-request.form.js';

/** The console's transfer-request pages (issue 14 item 3): the form's own checks and the request page. */
describe('transfer request pages', () => {
  const env = createViewEnvironment();
  const base = { csrfToken: 'x', errors: { errorList: [], fields: {} }, title: 't', idempotencyKey: 'k' };
  const r: TransferRequest = {
    id: '30000000-0000-4000-8000-000000000000',
    reference: 'TR-2026-000007',
    status: 'declined',
    requestedBy: { id: 'p1', name: 'Harriet Shaw' },
    requesterTeam: { id: 's', name: 'Sandwell Health Visiting', areaId: 'a1', areaName: 'Sandwell' },
    originatingTeam: { id: 'b', name: 'Birmingham Health Visiting', areaId: 'a2', areaName: 'Birmingham' },
    children: [{ givenName: 'Rowan', familyName: 'Test', dateOfBirth: '2026-07-01', nhsNumber: null }],
    howKnown: 'mother said so',
    concern: 'no GP',
    dueAt: '2026-12-02T10:00:00.000Z',
    overdue: false,
    reminders: 0,
    respondedBy: { id: 'p2', name: 'Hana Begum' },
    respondedAt: '2026-12-01T11:00:00.000Z',
    reason: 'closed to us in 2024',
    transferId: null,
    createdAt: '2026-11-30T10:00:00.000Z',
    availableActions: [{ action: 'respond', allowed: false }],
  };

  it('reads children rows as typed, strips spaces from NHS numbers, and checks what is missing per child', () => {
    const form = {
      childCount: '2',
      'child-0-givenName': ' Rowan ',
      'child-0-familyName': 'Test',
      'child-0-nhsNumber': '943 476 5919',
      'child-1-dob-day': '31',
      'child-1-dob-month': '2',
      'child-1-dob-year': '2026',
    };
    const rows = childRowsOf(form);
    expect(rows[0]).toEqual({
      givenName: 'Rowan',
      familyName: 'Test',
      dob: { day: '', month: '', year: '' },
      nhsNumber: '9434765919',
    });
    expect(requestFormChecks(form, rows).filter(([, message]) => message)).toEqual([
      ['originatingTeamId', 'Select the team that knows the family'],
      ['child-1-givenName', 'Enter the given name for child 2'],
      ['child-1-familyName', 'Enter the family name for child 2'],
      ['child-1-dob-day', 'The date of birth for child 2 must be a real date, like 1 7 2026'],
      ['howKnown', 'Enter how you know the family is known to that area'],
      ['concern', 'Enter what the concern is'],
    ]);
  });

  it('shows a declined request with its reason, and offers no answer', () => {
    const html = env.render('pages/transfer-requests/request.njk', {
      ...base,
      r,
      statusText: REQUEST_STATUS_TEXT.declined,
      mayRespond: false,
      originatingSide: false,
    });
    expect(html).toContain('Sandwell Health Visiting asks Birmingham Health Visiting to transfer a family');
    expect(html).toContain('Rowan Test');
    expect(html).toContain('1 July 2026');
    expect(html).toContain('closed to us in 2024');
    expect(html).not.toContain('Send the answer');
  });

  it('offers the originating team the answer while the request is open', () => {
    const html = env.render('pages/transfer-requests/request.njk', {
      ...base,
      r: { ...r, status: 'open', respondedBy: null, respondedAt: null, reason: null, overdue: true },
      statusText: REQUEST_STATUS_TEXT.open,
      mayRespond: true,
      originatingSide: true,
    });
    expect(html).toContain('Answer overdue');
    expect(html).toContain('action="/transfer-requests/30000000-0000-4000-8000-000000000000/respond"');
    expect(html).toContain('Yes, we will transfer the family');
    expect(html).toContain('No, we will not transfer the family');
  });
});
