/**
 * Test fixtures (not exported from the library): a transfer's packet source like the review's family,
 * with invented names. Initiated on Monday 23 November 2026; the baby is 4
 * months old, not registered with a GP, with a fading bruise and no safeguarding advice; the sibling
 * was also not brought to an appointment; the father is known to probation in London and a CRC in
 * Birmingham and has never been seen by health.
 */
import { computeRiskFlags } from '@fh/domain';
import type { TransferFacts } from '@fh/domain';
import type { PacketSource, PacketSourceContact, PacketSourceMember } from './packet.source';

export const BABY = '00000000-0000-4000-8000-000000000001';
export const SIBLING = '00000000-0000-4000-8000-000000000002';
export const MOTHER = '00000000-0000-4000-8000-000000000003';
export const FATHER = '00000000-0000-4000-8000-000000000004';

export function memberRecord(
  over: Partial<PacketSourceMember> & Pick<PacketSourceMember, 'id' | 'ref'>,
): PacketSourceMember {
  return {
    role: 'child',
    givenName: 'Given',
    familyName: 'Family',
    dateOfBirth: null,
    sex: 'unknown',
    nhsNumber: null,
    livesInHousehold: true,
    mobility: null,
    engaged: null,
    gp: { status: 'registered', practiceOds: null, practiceName: null },
    involvements: [],
    riskFactors: [],
    ...over,
  };
}

/** The facts the rules read, as the persistence layer derives them. */
export function factsOfRecord(
  r: Omit<PacketSource, 'transfer'> & {
    transfer: Pick<
      PacketSource['transfer'],
      | 'involvement'
      | 'moveDate'
      | 'leftSupportNetwork'
      | 'supportNetworkNote'
      | 'householdConfirmed'
      | 'noMaleCarerReason'
    >;
  },
): TransferFacts {
  const t = r.transfer;
  return {
    involvement: t.involvement,
    moveDate: t.moveDate,
    leftSupportNetwork: t.leftSupportNetwork,
    supportNetworkNote: t.supportNetworkNote,
    householdConfirmed: t.householdConfirmed,
    noMaleCarerReason: t.noMaleCarerReason,
    household: r.members.map((m) => ({ ...m, gp: { status: m.gp.status } })),
    concerns: r.concerns.map((c) => ({
      memberId: c.memberId,
      type: c.type,
      observedOn: c.observedOn,
      safeguardingAdviceSought: c.safeguardingAdviceSought,
      protocol: {
        healthAssessmentOn: c.healthAssessment?.on ?? null,
        referralOn: c.referral?.on ?? null,
        multiAgencyDiscussionOn: c.multiAgencyDiscussion?.on ?? null,
        parentsExplanationRecorded: (c.parentsExplanation ?? '').trim().length > 0,
      },
    })),
    appointments: r.appointments.map((a) => ({ id: a.id, memberId: a.memberId, status: a.status, dueOn: a.dueOn })),
  };
}

/** Recomputes the stored flags from the record's facts, as every transition does. */
export function withFlags(record: PacketSource): PacketSource {
  return { ...record, transfer: { ...record.transfer, riskFlags: [...computeRiskFlags(factsOfRecord(record))] } };
}

export function reviewRecord(over: Partial<PacketSource> = {}): PacketSource {
  const record: PacketSource = {
    transfer: {
      id: '10000000-0000-4000-8000-000000000000',
      reference: 'HT-2026-000042',
      status: 'awaiting_contact',
      involvement: 'child_in_need',
      moveDate: '2026-11-13',
      moveType: 'permanent',
      reason: 'Family moved to live near the father’s relatives',
      previousAddressArea: 'birmingham',
      newAddress: { line1: '12 Quillfeather Row', town: 'West Bromwich', postcode: 'B70 9ZZ' },
      leftSupportNetwork: true,
      supportNetworkNote: 'lived with the maternal grandparents',
      householdConfirmed: true,
      noMaleCarerReason: null,
      sendingTeamId: '20000000-0000-4000-8000-000000000001',
      sendingTeamName: 'Birmingham Health Visiting',
      sendingAreaCode: 'birmingham',
      sendingAreaName: 'Birmingham',
      receivingTeamId: '20000000-0000-4000-8000-000000000002',
      receivingTeamName: 'Sandwell Health Visiting',
      receivingAreaCode: 'sandwell',
      receivingAreaName: 'Sandwell',
      accountablePractitionerId: '40000000-0000-4000-8000-000000000001',
      accountablePractitionerName: 'Hana Begum',
      accountablePractitionerTeamId: '20000000-0000-4000-8000-000000000001',
      riskFlags: [],
      contactDueAt: new Date('2026-11-30T17:00:00Z'),
      createdAt: new Date('2026-11-20T09:00:00Z'),
      initiatedAt: new Date('2026-11-23T10:00:00Z'),
    },
    members: [
      memberRecord({
        id: BABY,
        ref: 'baby',
        role: 'child',
        givenName: 'Zephyrine',
        familyName: 'Quillfeather',
        dateOfBirth: '2026-07-20',
        sex: 'female',
        mobility: 'non_mobile',
        gp: { status: 'not_registered', practiceOds: null, practiceName: null },
      }),
      memberRecord({
        id: SIBLING,
        ref: 'sibling',
        role: 'child',
        givenName: 'Octavian',
        familyName: 'Quillfeather',
        dateOfBirth: '2024-09-15',
        sex: 'male',
        nhsNumber: '9434765919',
        mobility: 'mobile',
        gp: { status: 'registered', practiceOds: 'M88006', practiceName: 'Erdington Health Centre' },
      }),
      memberRecord({
        id: MOTHER,
        ref: 'mother',
        role: 'mother',
        givenName: 'Philippa',
        familyName: 'Quillfeather',
        dateOfBirth: '1999-03-14',
        sex: 'female',
        engaged: true,
        riskFactors: ['mental_health'],
      }),
      memberRecord({
        id: FATHER,
        ref: 'father',
        role: 'father',
        givenName: 'Barnaby',
        familyName: 'Thistlewood',
        dateOfBirth: '1995-08-02',
        sex: 'male',
        engaged: false,
        gp: { status: 'unknown', practiceOds: null, practiceName: null },
        riskFactors: ['offending', 'substance_misuse'],
        involvements: [
          { agency: 'probation', area: 'london', detail: 'supervision order, not engaging' },
          { agency: 'crc', area: 'birmingham', detail: 'unserved order' },
        ],
      }),
    ],
    concerns: [
      {
        id: 'c-weight',
        memberId: BABY,
        type: 'weight_faltering',
        observedOn: '2026-10-20',
        description: 'slow weight gain',
        safeguardingAdviceSought: null,
      },
      {
        id: 'c-bruise',
        memberId: BABY,
        type: 'bruising',
        observedOn: '2026-11-09',
        description: 'fading bruise, left cheek',
        safeguardingAdviceSought: false,
      },
    ],
    appointments: [
      {
        id: 'a-3',
        memberId: BABY,
        kind: 'immunisation',
        provider: 'Sandwell GP',
        dueOn: '2026-11-30',
        status: 'scheduled',
        attendedOn: null,
        rebookedFor: null,
      },
      {
        id: 'a-1',
        memberId: BABY,
        kind: 'health_visitor_review',
        provider: 'Birmingham Community Healthcare',
        dueOn: '2026-11-02',
        status: 'was_not_brought',
        attendedOn: null,
        rebookedFor: null,
      },
      {
        id: 'a-2',
        memberId: SIBLING,
        kind: 'immunisation',
        provider: 'Erdington Health Centre',
        dueOn: '2026-10-01',
        status: 'was_not_brought',
        attendedOn: null,
        rebookedFor: '2026-12-03',
      },
    ],
    contacts: [],
    acknowledgements: [],
  };
  return withFlags({ ...record, ...over });
}

/** The conversation the receiving health visitor recorded, with one agreed action. */
export function recordedContact(over: Partial<PacketSourceContact> = {}): PacketSourceContact {
  return {
    id: 'contact-1',
    round: 1,
    occurredAt: new Date('2026-11-24T10:30:00Z'),
    method: 'phone',
    sendingPractitionerId: '40000000-0000-4000-8000-000000000001',
    sendingPractitionerName: 'Hana Begum',
    recordedById: '40000000-0000-4000-8000-000000000002',
    recordedByName: 'Harriet Shaw',
    summary: 'Talked through the bruise, the father’s probation history and the GP position.',
    flagAcknowledgements: [
      { code: 'NON_MOBILE_INFANT_BRUISING', understanding: 'A bruise on a 3-month-old is a child protection concern.' },
      { code: 'NO_GP_REGISTRATION', understanding: 'Baby must be registered this week.' },
    ],
    state: 'pending',
    checkedById: null,
    checkedByName: null,
    checkedAt: null,
    disputeComment: null,
    recordedAt: new Date('2026-11-24T11:00:00Z'),
    agreedActions: [
      {
        id: 'action-1',
        description: 'Register the baby with a GP',
        owner: 'receiving',
        dueOn: '2026-11-27',
        reviewOn: '2026-12-04',
      },
    ],
    ...over,
  };
}
