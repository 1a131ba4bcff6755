/**
 * The lawful basis for sharing and the family informed (issue 13 item 4): referral data sets ask
 * whether the family knows and agrees; Primero refuses a transfer without consent or a recorded
 * override. Both are required to send a transfer, and every gap is named at once.
 */
import type { FamilyInformed, SharingBasis, TransferFacts } from './facts.js';
import { BHAM_CSC, BHAM_HV, draftOf, sendPrac, T0 } from './lifecycle.fixture.js';
import { decide, lawfulBasisGaps } from './lifecycle/index.js';
import { quietFacts } from './review-case.fixture.js';

const codes = (d: ReturnType<typeof decide>) => (d.ok ? [] : d.reasons.map((r) => r.code));
const initiate = (facts: TransferFacts) => decide(draftOf(facts), sendPrac, { type: 'initiate' }, T0);
const TODAY = '2026-11-23'; // T0, London
const withoutConsent = (over: Partial<Extract<SharingBasis, { basis: 'safeguarding_without_consent' }>> = {}) =>
  ({
    basis: 'safeguarding_without_consent',
    rationale: 'telling the father would put the mother and baby at risk',
    approvedById: 'm-send',
    approvedBy: { role: 'manager', teamId: BHAM_HV, active: true },
    ...over,
  }) as SharingBasis;

describe('the lawful basis and the family informed (issue 13 item 4)', () => {
  it('a transfer with neither is refused, both named', () => {
    expect(codes(initiate(quietFacts({ sharingBasis: null, familyInformed: null })))).toEqual([
      'SHARING_BASIS_MISSING',
      'FAMILY_INFORMED_MISSING',
    ]);
    // absent (a draft stored before the rule) is the same as not recorded
    const { sharingBasis: _s, familyInformed: _f, ...older } = quietFacts();
    expect(codes(initiate(older as TransferFacts))).toEqual(['SHARING_BASIS_MISSING', 'FAMILY_INFORMED_MISSING']);
  });

  it('consent names who gave it and a date not in the future', () => {
    expect(initiate(quietFacts({ sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: TODAY } })).ok).toBe(
      true,
    );
    const gaps = (sharingBasis: SharingBasis) => lawfulBasisGaps(quietFacts({ sharingBasis }), BHAM_HV, TODAY);
    expect(gaps({ basis: 'consent', givenBy: '  ', givenOn: '2026-11-20' }).map((r) => r.message)).toEqual([
      'the lawful basis needs who gave consent (givenBy)',
    ]);
    expect(gaps({ basis: 'consent', givenBy: 'the mother', givenOn: '2026-11-24' }).map((r) => r.code)).toEqual([
      'SHARING_BASIS_INCOMPLETE',
    ]);
    expect(gaps({ basis: 'consent', givenBy: 'the mother', givenOn: '24/11/2026' }).map((r) => r.code)).toEqual([
      'SHARING_BASIS_INCOMPLETE',
    ]);
  });

  it('sharing without consent gives the rationale and is approved by an active manager of the sending team', () => {
    expect(initiate(quietFacts({ sharingBasis: withoutConsent() })).ok).toBe(true);
    expect(codes(initiate(quietFacts({ sharingBasis: withoutConsent({ rationale: '' }) })))).toEqual([
      'SHARING_BASIS_INCOMPLETE',
    ]);
    for (const approvedBy of [
      { role: 'practitioner', teamId: BHAM_HV, active: true }, // not a manager
      { role: 'manager', teamId: BHAM_CSC, active: true }, // another team's manager
      { role: 'manager', teamId: BHAM_HV, active: false }, // no longer active
      null, // the id names no one
    ])
      expect(codes(initiate(quietFacts({ sharingBasis: withoutConsent({ approvedBy }) })))).toEqual([
        'SHARING_APPROVER_NOT_SENDING_MANAGER',
      ]);
  });

  it('the family told on a date not in the future, or why not', () => {
    const ok = (familyInformed: FamilyInformed) => initiate(quietFacts({ familyInformed })).ok;
    expect(ok({ on: '2026-11-20' })).toBe(true);
    expect(ok({ notInformedReason: 'strategy discussion: telling the family would put the child at risk' })).toBe(true);
    expect(codes(initiate(quietFacts({ familyInformed: { on: '2026-12-01' } })))).toEqual([
      'FAMILY_INFORMED_INCOMPLETE',
    ]);
    expect(codes(initiate(quietFacts({ familyInformed: { notInformedReason: ' ' } })))).toEqual([
      'FAMILY_INFORMED_INCOMPLETE',
    ]);
  });

  it('a draft may be saved without them: only sending is refused', () => {
    const updated = decide(
      draftOf(),
      sendPrac,
      { type: 'update', facts: quietFacts({ sharingBasis: null, familyInformed: null }) },
      T0,
    );
    expect(updated.ok).toBe(true);
  });
});
