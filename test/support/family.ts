/**
 * A family like the review's (invented names): a 4-month-old with a fading bruise and no GP, an
 * older sibling also not brought to appointments, a father with offending and probation in London
 * unknown to health, a mother whose vulnerability was noted, a move away from the grandparents.
 * The bruise's protocol record (issue 14 item 4) is complete — the explanation the parents gave is
 * the one that was accepted — so a lead's advice needs no `actions`; test/bruising-protocol.e2e-spec.ts
 * takes the record away (`bruiseWithoutProtocol`) to see what is missing.
 */
export function reviewFamily(receivingTeamId: string, overrides: Record<string, unknown> = {}) {
  const today = new Date();
  const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  return {
    receivingTeamId,
    involvement: 'child_in_need',
    moveDate: daysAgo(10),
    moveType: 'permanent',
    reason: 'Family moved to live near father’s relatives',
    previousAddressArea: 'birmingham',
    newAddress: { line1: '12 Quillfeather Row', town: 'West Bromwich', postcode: 'B70 9ZZ' },
    leftSupportNetwork: true,
    supportNetworkNote: 'lived with maternal grandparents',
    householdConfirmed: true,
    noMaleCarerReason: null,
    // Issue 13 item 4: the mother agreed to the information going to the new area, and knows.
    sharingBasis: { basis: 'consent', givenBy: 'Philippa Quillfeather (mother)', givenOn: daysAgo(12) },
    familyInformed: { on: daysAgo(12) },
    household: [
      {
        ref: 'baby',
        role: 'child',
        givenName: 'Zephyrine',
        familyName: 'Quillfeather',
        dateOfBirth: daysAgo(125),
        sex: 'female',
        livesInHousehold: true,
        mobility: 'non_mobile',
        gp: { status: 'not_registered' },
      },
      {
        ref: 'sibling',
        role: 'child',
        givenName: 'Octavian',
        familyName: 'Quillfeather',
        dateOfBirth: daysAgo(800),
        sex: 'male',
        nhsNumber: '9434765919',
        livesInHousehold: true,
        mobility: 'mobile',
        gp: { status: 'registered', practiceOds: 'M88006', practiceName: 'Erdington Health Centre' },
      },
      {
        ref: 'mother',
        role: 'mother',
        givenName: 'Philippa',
        familyName: 'Quillfeather',
        dateOfBirth: '1999-03-14',
        sex: 'female',
        engaged: true,
        gp: { status: 'registered' },
        riskFactors: ['mental_health'],
      },
      {
        ref: 'father',
        role: 'father',
        givenName: 'Barnaby',
        familyName: 'Thistlewood',
        dateOfBirth: '1995-08-02',
        sex: 'male',
        engaged: false,
        gp: { status: 'unknown' },
        riskFactors: ['offending', 'substance_misuse'],
        involvements: [
          { agency: 'probation', area: 'london', detail: 'supervision order, not engaging' },
          { agency: 'crc', area: 'birmingham', detail: 'unserved order' },
        ],
      },
    ],
    concerns: [
      {
        memberRef: 'baby',
        type: 'bruising',
        observedOn: daysAgo(14),
        description: 'fading bruise left cheek',
        safeguardingAdviceSought: false,
        healthAssessment: { by: 'Dr Ottoline Marchbanks, community paediatrician', on: daysAgo(13) },
        referral: { on: daysAgo(13), reference: 'MASH-BHM-4471' },
        multiAgencyDiscussion: { on: daysAgo(12), outcome: 'single-agency follow-up by health visiting' },
        parentsExplanation: 'she rolled against the cot bars in her sleep',
      },
      {
        memberRef: 'baby',
        type: 'weight_faltering',
        observedOn: daysAgo(30),
        description: 'slow weight gain',
        safeguardingAdviceSought: false,
      },
    ],
    appointments: [
      {
        memberRef: 'baby',
        kind: 'health_visitor_review',
        provider: 'Birmingham Community Healthcare',
        dueOn: daysAgo(20),
        status: 'was_not_brought',
      },
      {
        memberRef: 'sibling',
        kind: 'immunisation',
        provider: 'Erdington Health Centre',
        dueOn: daysAgo(40),
        status: 'was_not_brought',
      },
      { memberRef: 'baby', kind: 'immunisation', provider: 'Sandwell GP', dueOn: daysAgo(-7), status: 'scheduled' },
    ],
    ...overrides,
  };
}

/**
 * A family whose only loose end is the baby's GP registration (no concerns, no appointments): accepted,
 * and once that one chase item is closed the transfer closes itself.
 */
export const gpOnlyFamily = (receivingTeamId: string, moveDate: string) =>
  reviewFamily(receivingTeamId, {
    moveDate,
    concerns: [],
    appointments: [],
    household: [
      {
        ref: 'baby',
        role: 'child',
        givenName: 'Baby',
        familyName: 'Chase',
        dateOfBirth: '2026-09-01',
        sex: 'female',
        mobility: 'non_mobile',
        gp: { status: 'not_registered' },
      },
      {
        ref: 'mother',
        role: 'mother',
        givenName: 'Mum',
        familyName: 'Chase',
        sex: 'female',
        engaged: true,
        gp: { status: 'registered' },
      },
      {
        ref: 'father',
        role: 'father',
        givenName: 'Dad',
        familyName: 'Chase',
        sex: 'male',
        engaged: true,
        gp: { status: 'registered' },
      },
    ],
  });
