/**
 * Test fixtures (not exported from the library): the family of the RS case review, as facts.
 * A 4-month-old (RS) with a fading bruise, not registered with a GP and not brought to
 * appointments like the older sibling; a father with drug use, offending and probation orders
 * in London and Birmingham, never seen by health; a mother whose vulnerability was known; a move
 * away from the maternal grandparents.
 */
import type { MemberFacts, TransferFacts } from './facts.js';

export const RS = 'member-rs';
export const SIBLING = 'member-sibling';
export const MOTHER = 'member-mother';
export const FATHER = 'member-father';

export function member(over: Partial<MemberFacts> & Pick<MemberFacts, 'id'>): MemberFacts {
  return {
    role: 'child',
    dateOfBirth: null,
    sex: 'unknown',
    nhsNumber: null,
    mobility: null,
    engaged: null,
    gp: { status: 'registered' },
    involvements: [],
    riskFactors: [],
    ...over,
  };
}

/** The lawful basis the fixtures send under: the mother's consent, given before the move. */
export const CONSENT = { basis: 'consent', givenBy: 'the mother', givenOn: '2026-11-16' } as const;

export function reviewCaseFacts(over: Partial<TransferFacts> = {}): TransferFacts {
  return {
    involvement: 'child_in_need',
    moveDate: '2026-11-20',
    sharingBasis: CONSENT,
    familyInformed: { on: '2026-11-16' },
    leftSupportNetwork: true,
    supportNetworkNote: 'lived with maternal grandparents',
    householdConfirmed: true,
    noMaleCarerReason: null,
    household: [
      member({
        id: RS,
        role: 'child',
        dateOfBirth: '2026-07-01',
        sex: 'female',
        mobility: 'unknown',
        gp: { status: 'not_registered' },
      }),
      member({
        id: SIBLING,
        role: 'child',
        dateOfBirth: '2024-03-15',
        sex: 'male',
        nhsNumber: '9434765919',
        mobility: 'mobile',
      }),
      member({ id: MOTHER, role: 'mother', dateOfBirth: '2001-02-03', sex: 'female', engaged: true }),
      member({
        id: FATHER,
        role: 'father',
        dateOfBirth: '1998-05-06',
        sex: 'male',
        engaged: null,
        riskFactors: ['offending', 'substance_misuse'],
        involvements: [
          { agency: 'probation', area: 'london', detail: 'supervision order, not engaging' },
          { agency: 'Community Rehabilitation Company', area: 'birmingham', detail: 'order not served' },
        ],
      }),
    ],
    concerns: [
      { memberId: RS, type: 'bruising', observedOn: '2026-11-06', safeguardingAdviceSought: false },
      { memberId: RS, type: 'weight_faltering', observedOn: '2026-10-20', safeguardingAdviceSought: null },
      { memberId: MOTHER, type: 'parental_vulnerability', observedOn: '2024-01-10', safeguardingAdviceSought: null },
    ],
    appointments: [
      { id: 'appt-rs-hv', memberId: RS, status: 'was_not_brought', dueOn: '2026-10-20' },
      { id: 'appt-sibling-imms', memberId: SIBLING, status: 'was_not_brought', dueOn: '2026-09-14' },
      { id: 'appt-rs-weight', memberId: RS, status: 'scheduled', dueOn: '2026-11-27' },
    ],
    ...over,
  };
}

/** A family with nothing to flag: one registered, mobile child with an NHS number; an engaged father. */
export function quietFacts(over: Partial<TransferFacts> = {}): TransferFacts {
  return {
    involvement: 'early_help',
    moveDate: '2026-11-20',
    sharingBasis: CONSENT,
    familyInformed: { on: '2026-11-16' },
    leftSupportNetwork: false,
    supportNetworkNote: null,
    householdConfirmed: true,
    noMaleCarerReason: null,
    household: [
      member({
        id: 'quiet-child',
        role: 'child',
        dateOfBirth: '2020-01-01',
        sex: 'female',
        nhsNumber: '9434765919',
        mobility: 'mobile',
      }),
      member({ id: 'quiet-father', role: 'father', sex: 'male', engaged: true }),
    ],
    concerns: [],
    appointments: [],
    ...over,
  };
}
