import type { Practitioner } from '../common/web-request.js';
import { createViewEnvironment } from '../view.service.js';
import { notReachedView } from './transfer.page.js';
import type { Transfer } from './transfer.types.js';

/** The family not reached on the transfer page and its forms (issue 14 item 2). */
describe('family not reached (console)', () => {
  const base = { id: 't1', status: 'awaiting_contact' } as unknown as Transfer;
  const route = {
    open: true,
    openedAt: '2026-12-02T10:00:00Z',
    attempts: [{ on: '2026-12-02', method: 'home_visit_no_access', note: 'no answer' }],
    checklist: [
      { check: 'education_setting', found: 'not on roll', pupilFileMoved: false, open: false },
      { check: 'police_welfare_check', found: null, pupilFileMoved: null, open: true },
    ],
    nationalAlert: { dueAt: '2026-12-09T17:00:00Z', due: true, decision: null },
    found: null,
  };
  const lead: Practitioner = { id: 'l', name: 'Lead', role: 'safeguarding_lead', teamId: null };
  const hv: Practitioner = { id: 'p', name: 'HV', role: 'practitioner', teamId: 'r' };

  it('offers the report while no route is open and the transfer is in progress; never on a draft', () => {
    expect(notReachedView(base, hv).reportHref).toBe('/transfers/t1/not-reached');
    expect(notReachedView({ ...base, status: 'draft' } as Transfer, hv).reportHref).toBeNull();
    expect(notReachedView({ ...base, familyNotReached: route } as Transfer, hv).reportHref).toBeNull();
  });

  it('an open route: checks to do link to their page, the alert decision only for a lead once due', () => {
    const v = notReachedView({ ...base, familyNotReached: route } as Transfer, hv).route!;
    expect(v.checks.map((c) => [c.status, c.href])).toEqual([
      ['Done', null],
      ['To do', '/transfers/t1/locate-checks/police_welfare_check'],
    ]);
    expect(v.checks[0]!.found).toBe('not on roll Pupil file not moved.');
    expect(v.alertHref).toBeNull();
    expect(notReachedView({ ...base, familyNotReached: route } as Transfer, lead).route!.alertHref).toBe(
      '/transfers/t1/national-alert',
    );
    expect(v.foundHref).toBe('/transfers/t1/family-found');
  });

  it('found: the route stays, nothing more to do', () => {
    const found = { ...route, open: false, found: { on: '2026-12-03', how: 'with the grandmother' } };
    const v = notReachedView({ ...base, familyNotReached: found } as Transfer, lead).route!;
    expect([v.foundHref, v.alertHref, v.checks[1]!.status, v.alert]).toEqual([
      null,
      null,
      'Not needed',
      'Not needed: the family was found',
    ]);
    expect(v.found).toBe('3 December 2026: with the grandmother');
  });

  it('the education-setting check asks about the pupil file; the others do not', () => {
    const env = createViewEnvironment();
    const render = (check: string) =>
      env.render('pages/not-reached.njk', {
        csrfToken: 'x',
        title: 't',
        t: { id: 't1', reference: 'HT-1' },
        version: 1,
        idempotencyKey: 'k',
        back: '/',
        page: 'check',
        check,
        action: `/transfers/t1/locate-checks/${check}`,
        form: {},
        errors: { errorList: [], fields: {} },
      });
    expect(render('education_setting')).toContain('Has the pupil file moved?');
    expect(render('family_members')).not.toContain('pupil file');
  });
});
