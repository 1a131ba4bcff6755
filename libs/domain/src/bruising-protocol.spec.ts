/**
 * The bruising protocol (issue 14 item 4), from the cases: a 4-month-old's bruise with no health
 * assessment; a 9-month-old whose mobility is unknown; a 7-year-old recorded not independently
 * mobile; a 7-month-old recorded mobile (not in scope); a "possible bruise". The flag lists what is
 * missing, and a safeguarding lead's acknowledgement says what was done about each missing item.
 */
import type { BruisingProtocolFacts, ConcernFacts, TransferFacts } from './facts.js';
import { createTransfer, decide } from './lifecycle/index.js';
import { SANDWELL, SAND_HV, at, draftOf, expectOk, initiated, sendPrac, slBham, slSand } from './lifecycle.fixture.js';
import { RS, member, quietFacts, reviewCaseFacts } from './review-case.fixture.js';
import { bruisingProtocolGaps, bruisingProtocolMissing, computeRiskFlags, isNonMobileOn } from './risk-flags.js';

const LATER_ACK = at('2026-11-23T15:00:00Z');
const initiatedWith = (facts: TransferFacts) => initiated(facts);

const FULL: BruisingProtocolFacts = {
  healthAssessmentOn: '2026-11-06',
  referralOn: '2026-11-07',
  multiAgencyDiscussionOn: '2026-11-09',
  parentsExplanationRecorded: true,
};

const bruiseFlag = (facts: TransferFacts) =>
  computeRiskFlags(facts).find((f) => f.code === 'NON_MOBILE_INFANT_BRUISING');

/** The review case with RS's bruise recorded with this protocol record. */
function rsBruise(protocol: BruisingProtocolFacts | null, over: Partial<ConcernFacts> = {}): TransferFacts {
  return reviewCaseFacts({
    concerns: [
      {
        memberId: RS,
        type: 'bruising',
        observedOn: '2026-11-06',
        safeguardingAdviceSought: true,
        protocol,
        ...over,
      },
    ],
  });
}

/** One child, one bruise seen on 2026-11-10. */
function oneChild(child: Parameters<typeof member>[0], type: ConcernFacts['type'] = 'bruising'): TransferFacts {
  return quietFacts({
    household: [member({ nhsNumber: '9434765919', ...child }), quietFacts().household[1]!],
    concerns: [{ memberId: child.id, type, observedOn: '2026-11-10', safeguardingAdviceSought: true }],
  });
}

describe('who is not independently mobile (issue 14 item 4)', () => {
  it("a 4-month-old's bruise with no health assessment: the flag lists the health assessment as missing", () => {
    const facts = rsBruise({ ...FULL, healthAssessmentOn: null });
    const flag = bruiseFlag(facts)!;
    expect(flag).toMatchObject({ severity: 'critical', memberIds: [RS], missing: ['health_assessment'] });
    expect(flag.summary).toBe(
      'bruise or injury on 1 child not independently mobile: always serious, however minor; bruising protocol still missing: health assessment',
    );
  });

  it("a 4-month-old's bruise with no health assessment and nothing else recorded: the flag lists all four missing", () => {
    for (const facts of [rsBruise(null), reviewCaseFacts()]) {
      const flag = bruiseFlag(facts)!;
      expect(flag).toMatchObject({ severity: 'critical', memberIds: [RS] });
      expect(flag.missing).toEqual(['health_assessment', 'referral', 'multi_agency_discussion', 'parents_explanation']);
      expect(bruisingProtocolGaps(facts)).toEqual(flag.missing);
    }
  });

  it('a child under 6 months at the date observed is in scope whatever mobility is recorded', () => {
    const facts = oneChild({ id: 'four', dateOfBirth: '2026-07-01', mobility: 'mobile' });
    expect(isNonMobileOn(facts.household[0]!, '2026-11-10')).toBe(true);
    expect(bruiseFlag(facts)).toMatchObject({ memberIds: ['four'] });
    // the age is taken on the date the bruise was seen: 6 months on 2027-01-01, recorded mobile → out of scope
    expect(isNonMobileOn(facts.household[0]!, '2027-01-01')).toBe(false);
  });

  it('a 9-month-old whose mobility is unknown is not independently mobile: every item missing', () => {
    const facts = oneChild({ id: 'nine', dateOfBirth: '2026-02-01', mobility: 'unknown' });
    expect(isNonMobileOn(facts.household[0]!, '2026-11-10')).toBe(true);
    const flag = bruiseFlag(facts)!;
    expect(flag.missing).toEqual(['health_assessment', 'referral', 'multi_agency_discussion', 'parents_explanation']);
    expect(flag.summary).toBe(
      "bruise or injury on 1 child not independently mobile: always serious, however minor; bruising protocol still missing: health assessment, referral to children's social care or MASH, multi-agency discussion, parents' explanation",
    );
  });

  it('a 7-year-old recorded notIndependentlyMobile (a disabled child) is in scope, whatever the recorded mobility', () => {
    const facts = oneChild({
      id: 'seven',
      dateOfBirth: '2019-05-01',
      mobility: 'mobile',
      notIndependentlyMobile: true,
    });
    expect(bruiseFlag(facts)).toMatchObject({ memberIds: ['seven'], missing: expect.any(Array) });
    // …and without the record, a 7-year-old is not
    expect(bruiseFlag(oneChild({ id: 'seven', dateOfBirth: '2019-05-01', mobility: 'unknown' }))).toBeUndefined();
  });

  it('a 7-month-old recorded mobile is not in scope: no flag, nothing to record, nothing to address', () => {
    const facts = oneChild({ id: 'crawler', dateOfBirth: '2026-04-01', mobility: 'mobile' });
    expect(bruiseFlag(facts)).toBeUndefined();
    expect(bruisingProtocolGaps(facts)).toEqual([]);
    const s = initiatedWith(facts);
    const d = decide(
      s,
      slSand,
      { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice: 'a' },
      LATER_ACK,
    );
    expect(!d.ok && d.reasons.map((r) => r.code)).toEqual(['FLAG_NOT_ACTIVE']);
  });

  it('a "possible bruise" (a mark that might be a bruise) counts as a bruise', () => {
    const facts = oneChild({ id: 'baby', dateOfBirth: '2026-08-01', mobility: 'non_mobile' }, 'possible_bruise');
    expect(bruiseFlag(facts)).toMatchObject({ memberIds: ['baby'], missing: expect.arrayContaining(['referral']) });
    const unadvised = quietFacts({
      household: [member({ id: 'k', dateOfBirth: '2019-01-01', mobility: 'mobile', nhsNumber: '9434765919' })],
      concerns: [{ memberId: 'k', type: 'possible_bruise', observedOn: '2026-11-10', safeguardingAdviceSought: false }],
    });
    expect(computeRiskFlags(unadvised).map((f) => f.code)).toEqual(['SAFEGUARDING_ADVICE_NOT_SOUGHT']);
  });
});

describe('what the protocol record lacks', () => {
  it('a complete record: the flag stays (always serious) but lists nothing missing', () => {
    const flag = bruiseFlag(rsBruise(FULL))!;
    expect(flag.missing).toEqual([]);
    expect(flag.summary).toBe(
      'bruise or injury on 1 child not independently mobile: always serious, however minor; bruising protocol recorded',
    );
  });

  it('counts each missing item across several bruises, never naming anyone or quoting free text', () => {
    const facts = reviewCaseFacts({
      concerns: [
        { memberId: RS, type: 'bruising', observedOn: '2026-11-06', safeguardingAdviceSought: true, protocol: FULL },
        {
          memberId: RS,
          type: 'injury',
          observedOn: '2026-11-08',
          safeguardingAdviceSought: true,
          protocol: { ...FULL, referralOn: null, parentsExplanationRecorded: false },
        },
      ],
    });
    const flag = bruiseFlag(facts)!;
    expect(flag.missing).toEqual(['referral', 'parents_explanation']);
    expect(flag.summary).toMatch(
      /still missing: referral to children's social care or MASH \(1 of 2\), parents' explanation \(1 of 2\)$/,
    );
    expect(flag.summary).not.toMatch(/2026-/);
  });

  it('reads an item as recorded only with its date (and, for the explanation, the words)', () => {
    expect(bruisingProtocolMissing({ protocol: null })).toHaveLength(4);
    expect(bruisingProtocolMissing({ protocol: { ...FULL, multiAgencyDiscussionOn: 'soon' } })).toEqual([
      'multi_agency_discussion',
    ]);
  });
});

describe("the safeguarding lead's acknowledgement says what was done about each missing item", () => {
  const facts = rsBruise({ ...FULL, healthAssessmentOn: null, multiAgencyDiscussionOn: null });
  const ack = (actions?: { item: string; action: string }[]) =>
    decide(
      initiatedWith(facts),
      slSand,
      { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice: 'seen today', actions },
      LATER_ACK,
    );

  it('is refused (422) naming what is not addressed', () => {
    for (const actions of [undefined, [], [{ item: 'health_assessment', action: 'medical booked' }]]) {
      const d = ack(actions);
      expect(d.ok).toBe(false);
      if (d.ok) continue;
      expect(d.error).toBe('PRECONDITION_FAILED');
      const reason = d.reasons.find((r) => r.code === 'PROTOCOL_ITEMS_NOT_ADDRESSED')!;
      expect(reason.protocolItems).toEqual(
        actions?.length ? ['multi_agency_discussion'] : ['health_assessment', 'multi_agency_discussion'],
      );
      expect(reason.message).toContain('multi-agency discussion');
    }
  });

  it('counts a blank action as not addressed, and refuses actions for items not missing or given twice', () => {
    const blank = ack([
      { item: 'health_assessment', action: '  ' },
      { item: 'multi_agency_discussion', action: 'strategy discussion at 2pm' },
    ]);
    expect(!blank.ok && blank.reasons[0]!.protocolItems).toEqual(['health_assessment']);
    const extra = ack([
      { item: 'health_assessment', action: 'medical booked' },
      { item: 'multi_agency_discussion', action: 'strategy discussion at 2pm' },
      { item: 'referral', action: 'again' },
      { item: 'health_assessment', action: 'twice' },
    ]);
    expect(!extra.ok && extra.reasons.map((r) => [r.code, r.protocolItems])).toEqual([
      ['PROTOCOL_ITEM_NOT_MISSING', ['health_assessment', 'referral']],
    ]);
  });

  it('is accepted with one action per missing item, and the event carries them (trimmed)', () => {
    const d = expectOk(
      ack([
        { item: 'multi_agency_discussion', action: ' strategy discussion at 2pm ' },
        { item: 'health_assessment', action: 'child protection medical booked' },
      ]),
    );
    expect(d.event).toEqual({
      type: 'flag.acknowledged',
      code: 'NON_MOBILE_INFANT_BRUISING',
      advice: 'seen today',
      by: slSand.id,
      actions: [
        { item: 'multi_agency_discussion', action: 'strategy discussion at 2pm' },
        { item: 'health_assessment', action: 'child protection medical booked' },
      ],
    });
    expect(d.state.safeguardingAcknowledgements).toContain('NON_MOBILE_INFANT_BRUISING');
  });

  it('needs no actions once the record is complete, and takes none on another flag', () => {
    const complete = initiatedWith(rsBruise(FULL));
    expect(
      decide(complete, slBham, { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice: 'ok' }, LATER_ACK)
        .ok,
    ).toBe(true);
    const other = decide(
      initiatedWith(reviewCaseFacts()),
      slBham,
      {
        type: 'acknowledgeFlag',
        code: 'SAFEGUARDING_ADVICE_NOT_SOUGHT',
        advice: 'ok',
        actions: [{ item: 'referral', action: 'made' }],
      },
      LATER_ACK,
    );
    expect(!other.ok && other.reasons.map((r) => r.code)).toEqual(['PROTOCOL_ITEM_NOT_MISSING']);
  });
});

describe('protocol dates', () => {
  it('cannot be before the bruise was observed, on create or on update', () => {
    const early = rsBruise({ ...FULL, referralOn: '2026-11-01' });
    const created = createTransfer(sendPrac, { receivingTeamId: SAND_HV, receivingAreaId: SANDWELL, facts: early });
    expect(!created.ok && created.reasons.map((r) => [r.code, r.memberIds])).toEqual([
      ['PROTOCOL_DATE_BEFORE_CONCERN', [RS]],
    ]);
    const updated = decide(draftOf(), sendPrac, { type: 'update', facts: early }, LATER_ACK);
    expect(!updated.ok && updated.reasons.map((r) => r.code)).toEqual(['PROTOCOL_DATE_BEFORE_CONCERN']);
    expect(decide(draftOf(), sendPrac, { type: 'update', facts: rsBruise(FULL) }, LATER_ACK).ok).toBe(true);
  });
});
