import fc from 'fast-check';
import type { ConcernFacts, TransferFacts } from './facts.js';
import { FATHER, MOTHER, RS, SIBLING, member, quietFacts, reviewCaseFacts } from './review-case.fixture.js';
import {
  PROBATION_AGENCIES,
  ageInMonths,
  computeRiskFlags,
  criticalFlagCodes,
  isNonMobileOn,
  clockFlags,
  isProbationAgency,
  type RiskFlag,
} from './risk-flags.js';
import {
  CLOCK_FLAG_CODES,
  ROUTE_FLAG_CODES,
  RISK_FLAG_CODES,
  RISK_FLAG_SEVERITY,
  type RiskFlagCode,
} from './vocabulary.js';

const byCode = (facts: TransferFacts) => new Map(computeRiskFlags(facts).map((f) => [f.code, f] as const));
const codes = (facts: TransferFacts) => computeRiskFlags(facts).map((f) => f.code);

describe('the review case', () => {
  const flags = byCode(reviewCaseFacts());

  it('raises every flag the review would have wanted, most severe first', () => {
    // Every flag the facts can raise; the clock-raised ones come from clockFlags (below).
    const clocked: readonly RiskFlagCode[] = [...CLOCK_FLAG_CODES, ...ROUTE_FLAG_CODES];
    // …except the signs of non-engagement the review's family did not show (issue 14 item 5: no carer
    // cancelled or rescheduled anything), tested from their own cases in appointment-outcome.spec.ts.
    const notInTheReview: readonly RiskFlagCode[] = ['REPEATED_CANCELLATIONS'];
    expect(codes(reviewCaseFacts())).toEqual(
      RISK_FLAG_CODES.filter((c) => !clocked.includes(c) && !notInTheReview.includes(c)),
    );
    for (const f of flags.values()) expect(f.severity).toBe(RISK_FLAG_SEVERITY[f.code]);
  });

  it('sees the fading bruise on a 4-month-old as a non-mobile infant bruise with no advice sought', () => {
    expect(flags.get('NON_MOBILE_INFANT_BRUISING')).toMatchObject({ severity: 'critical', memberIds: [RS] });
    expect(flags.get('SAFEGUARDING_ADVICE_NOT_SOUGHT')).toMatchObject({ severity: 'critical', memberIds: [RS] });
    expect(criticalFlagCodes(computeRiskFlags(reviewCaseFacts()))).toEqual([
      'NON_MOBILE_INFANT_BRUISING',
      'SAFEGUARDING_ADVICE_NOT_SOUGHT',
    ]);
  });

  it('notices the baby is not registered with a GP and has no NHS number', () => {
    expect(flags.get('NO_GP_REGISTRATION')).toEqual<RiskFlag>({
      code: 'NO_GP_REGISTRATION',
      severity: 'high',
      memberIds: [RS],
      summary: '1 child is not registered with a GP',
    });
    expect(flags.get('NHS_NUMBER_MISSING')).toMatchObject({ memberIds: [RS] });
  });

  it('calls the missed appointments of RS and the sibling a pattern', () => {
    const f = flags.get('WAS_NOT_BROUGHT')!;
    expect(f.memberIds.sort()).toEqual([RS, SIBLING].sort());
    expect(f.summary).toBe('pattern of not being brought: 2 appointments missed across 2 children');
  });

  it("brings the father's offending, drug use and probation in London and Birmingham into view", () => {
    const f = flags.get('ADULT_RISK_IN_HOUSEHOLD')!;
    expect(f.memberIds).toEqual([FATHER]);
    expect(f.summary).toBe(
      '1 adult in the household with offending, substance misuse, probation/CRC involvement (london, birmingham): think family',
    );
    expect(flags.get('MALE_CARER_NOT_ENGAGED')).toMatchObject({ severity: 'medium', memberIds: [FATHER] });
  });

  it("flags the mother's vulnerability, the weight concern and the move from the grandparents", () => {
    expect(flags.get('PARENTAL_VULNERABILITY')!.memberIds).toEqual([MOTHER]);
    expect(flags.get('WEIGHT_CONCERN')!.memberIds).toEqual([RS]);
    expect(flags.get('LEFT_SUPPORT_NETWORK')).toEqual({
      code: 'LEFT_SUPPORT_NETWORK',
      severity: 'medium',
      memberIds: [],
      summary: 'the move takes the family away from its support network',
    });
  });

  it('never puts the support-network note or other free text into a summary', () => {
    for (const f of flags.values()) {
      expect(f.summary).not.toMatch(/grandparents|supervision order|9434765919|2026-07-01/);
    }
  });
});

describe('a family with nothing to flag', () => {
  it('raises no flags', () => {
    expect(computeRiskFlags(quietFacts())).toEqual([]);
  });
});

describe('bruising and mobility', () => {
  const baby = (over: Parameters<typeof member>[0]) => member({ role: 'child', nhsNumber: '9434765919', ...over });
  const bruise = (memberId: string, observedOn: string, advice: boolean | null = true): ConcernFacts => ({
    memberId,
    type: 'bruising',
    observedOn,
    safeguardingAdviceSought: advice,
  });

  it('treats a 9-month-old as not independently mobile only when mobility is unknown, not recorded or non_mobile', () => {
    const bruised = (mobility: 'unknown' | 'mobile' | 'non_mobile' | null) =>
      quietFacts({
        household: [baby({ id: 'b', dateOfBirth: '2026-02-01', mobility })],
        concerns: [bruise('b', '2026-11-06')],
      });
    expect(codes(bruised('unknown'))).toContain('NON_MOBILE_INFANT_BRUISING');
    expect(codes(bruised(null))).toContain('NON_MOBILE_INFANT_BRUISING');
    expect(codes(bruised('non_mobile'))).toContain('NON_MOBILE_INFANT_BRUISING');
    expect(codes(bruised('mobile'))).not.toContain('NON_MOBILE_INFANT_BRUISING');
  });

  it('takes the age at the date the bruise was seen, not today: 6 months whatever is recorded, 12 when unknown', () => {
    const facts = (observedOn: string, mobility: 'unknown' | 'mobile') =>
      quietFacts({
        household: [baby({ id: 'b', dateOfBirth: '2026-05-10', mobility })],
        concerns: [bruise('b', observedOn)],
      });
    expect(codes(facts('2026-11-09', 'mobile'))).toContain('NON_MOBILE_INFANT_BRUISING'); // 5 months 30 days
    expect(codes(facts('2026-11-10', 'mobile'))).not.toContain('NON_MOBILE_INFANT_BRUISING'); // 6 months
    expect(codes(facts('2027-05-09', 'unknown'))).toContain('NON_MOBILE_INFANT_BRUISING'); // 11 months 29 days
    expect(codes(facts('2027-05-10', 'unknown'))).not.toContain('NON_MOBILE_INFANT_BRUISING'); // 12 months
  });

  it('does not believe a recorded "mobile" for a baby under 6 months', () => {
    const facts = quietFacts({
      household: [baby({ id: 'b', dateOfBirth: '2026-09-01', mobility: 'mobile' })],
      concerns: [bruise('b', '2026-11-06')],
    });
    expect(codes(facts)).toContain('NON_MOBILE_INFANT_BRUISING');
  });

  it('counts an injury like a bruise', () => {
    const facts = quietFacts({
      household: [baby({ id: 'b', dateOfBirth: '2026-09-01', mobility: null })],
      concerns: [{ memberId: 'b', type: 'injury', observedOn: '2026-11-06', safeguardingAdviceSought: true }],
    });
    expect(codes(facts)).toEqual(['NON_MOBILE_INFANT_BRUISING']);
  });

  it("raises SAFEGUARDING_ADVICE_NOT_SOUGHT for a mobile child's bruise when no advice was sought", () => {
    const facts = quietFacts({
      household: [baby({ id: 'b', dateOfBirth: '2019-01-01', mobility: 'mobile' })],
      concerns: [bruise('b', '2026-11-06', false)],
    });
    expect(codes(facts)).toEqual(['SAFEGUARDING_ADVICE_NOT_SOUGHT']);
    expect(computeRiskFlags(facts)[0]!.summary).toBe(
      'safeguarding advice not sought for 1 bruise or injury: seek it now',
    );
  });

  it('treats advice "not recorded" as not sought, and advice sought as no flag', () => {
    const kid = baby({ id: 'b', dateOfBirth: '2019-01-01', mobility: 'mobile' });
    expect(codes(quietFacts({ household: [kid], concerns: [bruise('b', '2026-11-06', null)] }))).toEqual([
      'SAFEGUARDING_ADVICE_NOT_SOUGHT',
    ]);
    expect(codes(quietFacts({ household: [kid], concerns: [bruise('b', '2026-11-06', true)] }))).toEqual([]);
  });

  it('ignores advice on concerns that are not bruises or injuries', () => {
    const kid = baby({ id: 'b', dateOfBirth: '2019-01-01', mobility: 'mobile' });
    const neglect: ConcernFacts = {
      memberId: 'b',
      type: 'neglect',
      observedOn: '2026-11-06',
      safeguardingAdviceSought: false,
    };
    expect(codes(quietFacts({ household: [kid], concerns: [neglect] }))).toEqual([]);
  });
});

describe('the other rules', () => {
  it('words a single missed appointment without "pattern", and ignores adults\' appointments', () => {
    const one = reviewCaseFacts({
      appointments: [{ id: 'a', memberId: RS, status: 'was_not_brought', dueOn: '2026-10-20' }],
    });
    expect(byCode(one).get('WAS_NOT_BROUGHT')!.summary).toBe('1 child was not brought to 1 appointment');
    const twoForOneChild = reviewCaseFacts({
      appointments: [
        { id: 'a', memberId: RS, status: 'was_not_brought', dueOn: '2026-10-20' },
        { id: 'b', memberId: RS, status: 'was_not_brought', dueOn: '2026-10-27' },
      ],
    });
    expect(byCode(twoForOneChild).get('WAS_NOT_BROUGHT')!.summary).toMatch(/^pattern/);
    const adults = reviewCaseFacts({
      appointments: [{ id: 'a', memberId: MOTHER, status: 'was_not_brought', dueOn: '2026-10-20' }],
    });
    expect(codes(adults)).not.toContain('WAS_NOT_BROUGHT');
    const attended = reviewCaseFacts({
      appointments: [{ id: 'a', memberId: RS, status: 'attended', dueOn: '2026-10-20' }],
    });
    expect(codes(attended)).not.toContain('WAS_NOT_BROUGHT');
  });

  it('distinguishes "not registered" from "not known" with a GP', () => {
    const facts = quietFacts({
      household: [
        member({ id: 'a', nhsNumber: '9434765919', gp: { status: 'not_registered' } }),
        member({ id: 'b', nhsNumber: '9434765919', gp: { status: 'unknown' } }),
        member({ id: 'c', nhsNumber: '9434765919', gp: { status: null } }),
        member({ id: 'd', nhsNumber: '9434765919', gp: { status: 'registered' } }),
        member({ id: 'dad', role: 'father', sex: 'male', engaged: true, gp: { status: 'not_registered' } }),
      ],
    });
    expect(byCode(facts).get('NO_GP_REGISTRATION')).toMatchObject({
      memberIds: ['a', 'b', 'c'],
      summary: '1 child is not registered with a GP; GP registration not known for 2 children',
    });
  });

  it('raises ADULT_RISK_IN_HOUSEHOLD for probation alone, any spelling of the agency, in any area', () => {
    const withAgency = (agency: string) =>
      quietFacts({
        household: [
          ...quietFacts().household,
          member({
            id: 'lodger',
            role: 'other_adult',
            engaged: true,
            involvements: [{ agency, area: 'london', detail: null }],
          }),
        ],
      });
    for (const agency of [
      'probation',
      'Probation Service',
      'CRC',
      'community-rehabilitation',
      'National Probation Service',
    ]) {
      expect(byCode(withAgency(agency)).get('ADULT_RISK_IN_HOUSEHOLD')).toMatchObject({ memberIds: ['lodger'] });
    }
    expect(codes(withAgency('housing'))).not.toContain('ADULT_RISK_IN_HOUSEHOLD');
    expect(PROBATION_AGENCIES.every(isProbationAgency)).toBe(true);
  });

  it("raises ADULT_RISK_IN_HOUSEHOLD for each adult risk factor but not for a child's, nor for learning disability alone", () => {
    for (const factor of ['offending', 'substance_misuse', 'domestic_abuse', 'mental_health'] as const) {
      const facts = quietFacts({
        household: [...quietFacts().household, member({ id: 'gran', role: 'grandparent', riskFactors: [factor] })],
      });
      expect(byCode(facts).get('ADULT_RISK_IN_HOUSEHOLD')?.memberIds).toEqual(['gran']);
    }
    const ld = quietFacts({
      household: [
        ...quietFacts().household,
        member({ id: 'gran', role: 'grandparent', riskFactors: ['learning_disability'] }),
      ],
    });
    expect(codes(ld)).toEqual([]);
    const teen = quietFacts({
      household: [
        ...quietFacts().household,
        member({ id: 'teen', role: 'child', nhsNumber: '9434765919', riskFactors: ['offending'] }),
      ],
    });
    expect(codes(teen)).not.toContain('ADULT_RISK_IN_HOUSEHOLD');
  });

  it('raises MALE_CARER_NOT_ENGAGED for a father not engaged or never seen, and a male partner', () => {
    const withDad = (engaged: boolean | null) =>
      quietFacts({
        household: [quietFacts().household[0]!, member({ id: 'dad', role: 'father', sex: 'male', engaged })],
      });
    expect(codes(withDad(false))).toEqual(['MALE_CARER_NOT_ENGAGED']);
    expect(codes(withDad(null))).toEqual(['MALE_CARER_NOT_ENGAGED']);
    expect(codes(withDad(true))).toEqual([]);
    const partner = (sex: 'male' | 'female' | 'unknown') =>
      quietFacts({
        household: [quietFacts().household[0]!, member({ id: 'p', role: 'partner', sex, engaged: false })],
      });
    expect(codes(partner('male'))).toEqual(['MALE_CARER_NOT_ENGAGED']);
    expect(codes(partner('female'))).toEqual([]);
  });

  it("raises PARENTAL_VULNERABILITY for a parent or carer's mental health or learning disability", () => {
    const withMum = (
      riskFactors: ('mental_health' | 'learning_disability' | 'other')[],
      role: 'mother' | 'grandparent' = 'mother',
    ) =>
      quietFacts({
        household: [...quietFacts().household, member({ id: 'mum', role, sex: 'female', engaged: true, riskFactors })],
      });
    expect(byCode(withMum(['learning_disability'])).get('PARENTAL_VULNERABILITY')?.memberIds).toEqual(['mum']);
    expect(codes(withMum(['mental_health']))).toEqual(['ADULT_RISK_IN_HOUSEHOLD', 'PARENTAL_VULNERABILITY']);
    expect(codes(withMum(['other']))).toEqual([]);
    expect(codes(withMum(['learning_disability'], 'grandparent'))).toEqual([]);
  });

  it('raises NHS_NUMBER_MISSING for a missing or invalid number, only for children', () => {
    const kid = (nhsNumber: string | null) =>
      quietFacts({ household: [member({ id: 'k', mobility: 'mobile', nhsNumber }), quietFacts().household[1]!] });
    expect(codes(kid(null))).toEqual(['NHS_NUMBER_MISSING']);
    expect(codes(kid('9434765918'))).toEqual(['NHS_NUMBER_MISSING']);
    expect(codes(kid('943 476 5919'))).toEqual(['NHS_NUMBER_MISSING']);
    expect(codes(kid('9434765919'))).toEqual([]);
  });

  it('gives every flag a severity from the table, non-empty summary, and known member ids', () => {
    const facts = reviewCaseFacts();
    const ids = new Set(facts.household.map((m) => m.id));
    for (const f of computeRiskFlags(facts)) {
      expect(f.summary.length).toBeGreaterThan(0);
      f.memberIds.forEach((id) => expect(ids.has(id)).toBe(true));
    }
  });
});

describe('ageInMonths', () => {
  it('counts completed months', () => {
    expect(ageInMonths('2026-07-01', '2026-11-06')).toBe(4);
    expect(ageInMonths('2026-05-10', '2026-11-09')).toBe(5);
    expect(ageInMonths('2026-05-10', '2026-11-10')).toBe(6);
    expect(ageInMonths('2026-08-31', '2027-02-27')).toBe(5);
    expect(ageInMonths('2026-08-31', '2027-02-28')).toBe(6); // end of a shorter month completes it
    expect(ageInMonths('2026-07-10', '2026-07-10')).toBe(0);
    expect(ageInMonths('2026-07-10', '2026-05-20')).toBe(-1);
    expect(() => ageInMonths('2026-07-10', 'yesterday')).toThrow(RangeError);
  });

  it('never decreases as the date moves on', () => {
    const day = fc.integer({ min: 0, max: 2000 });
    fc.assert(
      fc.property(day, day, day, (b, x, y) => {
        const d = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        const [early, late] = x <= y ? [x, y] : [y, x];
        expect(ageInMonths(d(b), d(early))).toBeLessThanOrEqual(ageInMonths(d(b), d(late)));
      }),
    );
  });

  it('isNonMobileOn needs a date of birth to judge by age', () => {
    expect(isNonMobileOn({ mobility: null, dateOfBirth: null }, '2026-11-06')).toBe(false);
    expect(isNonMobileOn({ mobility: 'non_mobile', dateOfBirth: null }, '2026-11-06')).toBe(true);
  });
});

describe('clock-raised flags (issue 13 item 1)', () => {
  const due = new Date('2027-01-05T10:00:00Z');

  it('raise CONFERENCE_OVERDUE (high) once a transfer-in conference is past its due time and not held', () => {
    expect(clockFlags({ conferenceDueAt: due, conferenceHeld: false }, new Date('2027-01-05T09:59:59Z'))).toEqual([]);
    const [flag, ...rest] = clockFlags(
      { conferenceDueAt: due, conferenceHeld: false },
      new Date('2027-01-05T10:00:00Z'),
    );
    expect(rest).toEqual([]);
    expect(flag).toMatchObject({ code: 'CONFERENCE_OVERDUE', severity: 'high', memberIds: [] });
  });

  it('raise nothing once the conference is held, or when none is due', () => {
    const late = new Date('2027-02-01T10:00:00Z');
    expect(clockFlags({ conferenceDueAt: due, conferenceHeld: true }, late)).toEqual([]);
    expect(clockFlags({ conferenceDueAt: null, conferenceHeld: false }, late)).toEqual([]);
  });

  it('are never raised by the facts alone', () => {
    fc.assert(
      fc.property(fc.boolean(), (confirmed) => {
        const raised = codes(reviewCaseFacts({ householdConfirmed: confirmed, involvement: 'child_protection' }));
        expect(raised.filter((c) => (CLOCK_FLAG_CODES as readonly string[]).includes(c))).toEqual([]);
      }),
    );
  });
});
