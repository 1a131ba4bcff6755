import { createViewEnvironment } from '../view.service.js';
import { sharingLines } from '../transfers/transfer.page.js';
import type { Transfer } from '../transfers/transfer.types.js';
import { readSharing, REASON_SECTION, sharingFieldOf, taskStatuses } from './draft.js';
import type { Draft } from './draft.js';

/** The console's "Sharing and the family" section (issue 13 item 4). */
describe('sharing and the family', () => {
  it('reads consent, or sharing without consent, and sends only the chosen basis’s fields', () => {
    expect(
      readSharing({
        sharingBasis: 'consent',
        givenBy: 'the mother',
        'givenOn-day': '16',
        'givenOn-month': '11',
        'givenOn-year': '2026',
        rationale: 'left over from a change of mind',
        familyInformed: 'yes',
        'informedOn-day': '17',
        'informedOn-month': '11',
        'informedOn-year': '2026',
      }).fields,
    ).toEqual({
      sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: '2026-11-16' },
      familyInformed: { on: '2026-11-17' },
    });
    const without = readSharing({
      sharingBasis: 'safeguarding_without_consent',
      rationale: 'risk from the father',
      approvedById: 'm-1',
      familyInformed: 'no',
      notInformedReason: 'strategy discussion advised against it',
    });
    expect(without.fields).toEqual({
      sharingBasis: { basis: 'safeguarding_without_consent', rationale: 'risk from the father', approvedById: 'm-1' },
      familyInformed: { notInformedReason: 'strategy discussion advised against it' },
    });
    expect(without.checks.filter(([, e]) => e)).toEqual([]);
  });

  it('says what is missing at each field before calling the API', () => {
    const errors = (body: Record<string, string>) =>
      readSharing(body)
        .checks.filter(([, e]) => e)
        .map(([field]) => field);
    expect(errors({})).toEqual(['sharingBasis', 'familyInformed']);
    expect(errors({ sharingBasis: 'consent', familyInformed: 'yes' })).toEqual([
      'givenBy',
      'givenOn-day',
      'informedOn-day',
    ]);
    expect(errors({ sharingBasis: 'safeguarding_without_consent', familyInformed: 'no' })).toEqual([
      'rationale',
      'approvedById',
      'notInformedReason',
    ]);
  });

  it('maps the API’s fields and refusals to this section', () => {
    expect(sharingFieldOf('sharingBasis.givenOn must be a date')).toBe('givenOn-day');
    expect(sharingFieldOf('familyInformed.on must be a date')).toBe('informedOn-day');
    expect(sharingFieldOf('familyInformed: give the date …')).toBe('familyInformed');
    expect(sharingFieldOf('reason must be …')).toBeNull();
    for (const code of ['SHARING_BASIS_MISSING', 'SHARING_APPROVER_NOT_SENDING_MANAGER', 'FAMILY_INFORMED_MISSING'])
      expect(REASON_SECTION[code]).toBe('sharing');
  });

  it('the task is completed only with both recorded', () => {
    const draft = { household: [], concerns: [], appointments: [] } as unknown as Draft;
    expect(taskStatuses(draft).sharing).toBe('not_started');
    expect(taskStatuses({ ...draft, familyInformed: { on: '2026-11-17' } } as Draft).sharing).toBe('incomplete');
    expect(
      taskStatuses({
        ...draft,
        familyInformed: { on: '2026-11-17' },
        sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: '2026-11-16' },
      } as Draft).sharing,
    ).toBe('completed');
  });

  it('the page offers the sending team’s managers as approvers, and keeps what was typed', () => {
    const html = createViewEnvironment().render('pages/new-transfer/sharing.njk', {
      csrfToken: 'x',
      title: 't',
      currentPath: '/transfers/new/d1/sharing',
      draft: { id: 'd1', reference: 'HT-2026-000001' },
      values: { sharingBasis: 'safeguarding_without_consent', rationale: 'risk from the father' },
      givenOn: { day: '', month: '', year: '' },
      informedOn: { day: '', month: '', year: '' },
      managers: [{ value: 'm-1', text: 'Grace Manager', checked: false }],
      errors: {
        errorList: [{ text: 'Select the manager who approved sharing without consent', href: '#approvedById' }],
        fields: { approvedById: { text: 'Select the manager who approved sharing without consent' } },
      },
    });
    expect(html).toMatch(/value="safeguarding_without_consent" checked/);
    expect(html).toContain('risk from the father');
    expect(html).toContain('Grace Manager');
    expect(html).toMatch(/Error:<\/span> Select the manager who approved sharing without consent/);
  });

  it('the transfer page says it in words', () => {
    expect(
      sharingLines({
        sharingBasis: {
          basis: 'safeguarding_without_consent',
          rationale: 'risk from the father',
          approvedById: 'm-1',
          approvedBy: { id: 'm-1', name: 'Grace Manager' },
        },
        familyInformed: { notInformedReason: 'advised against it' },
      } as Transfer),
    ).toEqual({
      basis: 'Without consent, to safeguard the child (approved by Grace Manager): risk from the father',
      informed: 'No: advised against it',
    });
    expect(sharingLines({} as Transfer)).toEqual({ basis: null, informed: null });
  });
});
