import type { MemberRecord, TransferRecord, TransferRow } from '@fh/persistence';
import { ApiError } from '../common/api-error';
import { buildAppointments, buildConcerns, buildMembers, draftOf, rebind, revisionOf } from './transfer-input.mapper';
import type { CreateTransferDto, MemberDto, UpdateTransferDto } from './transfers.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const messagesOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError && error.getStatus() === 400 && error.code === 'VALIDATION_FAILED')
      return error.messages;
    throw error;
  }
  throw new Error('expected a 400');
};

const baby: MemberDto = { ref: 'baby', role: 'child', givenName: 'Baby', familyName: 'Test', mobility: 'non_mobile' };
const mother: MemberDto = { ref: 'mother', role: 'mother', givenName: 'Mum', familyName: 'Test', sex: 'female' };
const father: MemberDto = { ref: 'father', role: 'father', givenName: 'Dad', familyName: 'Test' };

describe('buildMembers', () => {
  it('fills the defaults a member left out', () => {
    const [m] = buildMembers([baby], []);
    expect(m).toEqual({
      id: expect.stringMatching(UUID),
      ref: 'baby',
      role: 'child',
      givenName: 'Baby',
      familyName: 'Test',
      dateOfBirth: null,
      sex: 'unknown',
      nhsNumber: null,
      livesInHousehold: true,
      mobility: 'non_mobile',
      engaged: null,
      gp: { status: null, practiceOds: null, practiceName: null },
      involvements: [],
      riskFactors: [],
      statutoryOrder: null,
      notIndependentlyMobile: null,
    });
  });

  it('takes a father to be male unless told otherwise, and keeps what is sent', () => {
    const [dad, stepdad, other] = buildMembers(
      [
        father,
        { ref: 'step', role: 'step_parent', givenName: 'S', familyName: 'T' },
        {
          ref: 'gran',
          role: 'grandparent',
          givenName: 'G',
          familyName: 'T',
          sex: 'female',
          livesInHousehold: false,
          gp: { status: 'registered', practiceOds: 'M85001' },
          involvements: [{ agency: 'police' }],
          riskFactors: ['domestic_abuse', 'domestic_abuse'],
        } as MemberDto,
      ],
      [],
    );
    expect(dad.sex).toBe('male');
    expect(stepdad.sex).toBe('unknown'); // a step-parent's sex is not assumed
    expect(other).toMatchObject({
      sex: 'female',
      livesInHousehold: false,
      gp: { status: 'registered', practiceOds: 'M85001', practiceName: null },
      involvements: [{ agency: 'police', area: null, detail: null }],
      riskFactors: ['domestic_abuse'], // sent twice, kept once
    });
  });

  it('keeps the id of a member sent again under the same ref, and gives new refs new ids', () => {
    const first = buildMembers([baby, mother], []);
    const again = buildMembers([mother, father], first);
    expect(again[0].id).toBe(first[1].id);
    expect(again[1].id).toMatch(UUID);
    expect(first.map((m) => m.id)).not.toContain(again[1].id);
  });

  it('refuses refs used twice in one request, naming each once', () => {
    expect(messagesOf(() => buildMembers([baby, baby, mother, mother, baby], []))).toEqual([
      'household refs must be unique within the request: baby, mother',
    ]);
  });
});

describe('concerns and appointments', () => {
  const members = buildMembers([baby, mother], []);

  it('resolve memberRef to the member’s id', () => {
    const [concern] = buildConcerns([{ memberRef: 'baby', type: 'bruising', observedOn: '2026-11-01' }], members);
    expect(concern).toEqual({
      id: expect.stringMatching(UUID),
      memberId: members[0].id,
      type: 'bruising',
      observedOn: '2026-11-01',
      description: null,
      safeguardingAdviceSought: null,
      healthAssessment: null,
      referral: null,
      multiAgencyDiscussion: null,
      parentsExplanation: null,
    });
  });

  it('keep the bruising protocol record of a bruise or injury (issue 14 item 4), the explanation trimmed', () => {
    const [concern] = buildConcerns(
      [
        {
          memberRef: 'baby',
          type: 'possible_bruise',
          observedOn: '2026-11-01',
          healthAssessment: { by: 'Dr A, paediatrician', on: '2026-11-02' },
          referral: { on: '2026-11-02', reference: 'MASH-1' },
          multiAgencyDiscussion: { on: '2026-11-03', outcome: 'section 47 enquiry' },
          parentsExplanation: '  she rolled into the cot bars  ',
        },
      ],
      members,
    );
    expect(concern).toMatchObject({
      healthAssessment: { by: 'Dr A, paediatrician', on: '2026-11-02' },
      referral: { on: '2026-11-02', reference: 'MASH-1' },
      multiAgencyDiscussion: { on: '2026-11-03', outcome: 'section 47 enquiry' },
      parentsExplanation: 'she rolled into the cot bars',
    });
    const [blank] = buildConcerns(
      [{ memberRef: 'baby', type: 'injury', observedOn: '2026-11-01', parentsExplanation: '   ' }],
      members,
    );
    expect(blank.parentsExplanation).toBeNull();
  });

  it('refuse a protocol record on a concern that is not a bruise or injury, naming each field', () => {
    expect(
      messagesOf(() =>
        buildConcerns(
          [
            { memberRef: 'baby', type: 'bruising', observedOn: '2026-11-01', parentsExplanation: 'fell' },
            {
              memberRef: 'mother',
              type: 'parental_vulnerability',
              observedOn: '2026-11-01',
              referral: { on: '2026-11-02', reference: 'R' },
              parentsExplanation: 'x',
            },
          ],
          members,
        ),
      ),
    ).toEqual([
      'concerns.1.referral is for a bruise or injury only (type bruising, possible_bruise or injury)',
      'concerns.1.parentsExplanation is for a bruise or injury only (type bruising, possible_bruise or injury)',
    ]);
  });

  it('refuse a memberRef no member has, naming the field by its index', () => {
    expect(
      messagesOf(() =>
        buildConcerns(
          [
            { memberRef: 'baby', type: 'bruising', observedOn: '2026-11-01' },
            { memberRef: 'nobody', type: 'bruising', observedOn: '2026-11-01' },
          ],
          members,
        ),
      ),
    ).toEqual(['concerns.1.memberRef must name a household member\'s ref (no member "nobody")']);
    expect(
      messagesOf(() =>
        buildAppointments(
          [{ memberRef: 'x', kind: 'health_review', dueOn: '2026-12-01', status: 'scheduled' }],
          members,
        ),
      ),
    ).toEqual(['appointments.0.memberRef must name a household member\'s ref (no member "x")']);
  });

  it('an appointment sent again (same member, kind and date) keeps its id and what was recorded of it; others are new', () => {
    const [first] = buildAppointments(
      [{ memberRef: 'baby', kind: 'health_review', dueOn: '2026-12-01', status: 'scheduled' }],
      members,
    );
    const stored = { ...first, attendedOn: '2026-12-01', rebookedFor: null };
    const again = buildAppointments(
      [
        { memberRef: 'baby', kind: 'health_review', dueOn: '2026-12-01', status: 'scheduled', provider: 'HV' },
        { memberRef: 'baby', kind: 'health_review', dueOn: '2026-12-01', status: 'scheduled' }, // a second one that day
        { memberRef: 'baby', kind: 'health_review', dueOn: '2026-12-08', status: 'scheduled' },
      ],
      members,
      [stored],
    );
    expect(again[0]).toMatchObject({ id: first.id, provider: 'HV', attendedOn: '2026-12-01' });
    expect(again[1].id).not.toBe(first.id); // each stored appointment is claimed once
    expect(again[2]).toMatchObject({ attendedOn: null, rebookedFor: null });
    expect(again[2].id).not.toBe(first.id);
  });

  it('rebind follows a kept item’s member by ref into a new household, and refuses one whose member is gone', () => {
    const next = buildMembers([mother, baby], members);
    const refs = new Map(members.map((m) => [m.id, m.ref]));
    const items = [{ memberId: members[0].id, what: 'x' }];
    expect(rebind(items, refs, next)).toEqual([{ memberId: next[1].id, what: 'x' }]);
    expect(messagesOf(() => rebind(items, refs, buildMembers([mother], members)))).toEqual([
      'a concern or appointment (0) is about a household member this update removes; send concerns and appointments too',
    ]);
  });
});

describe('draftOf and revisionOf', () => {
  const create = {
    receivingTeamId: '00000000-0000-4000-8000-000000000001',
    involvement: 'universal',
    moveDate: '2026-12-01',
    moveType: 'permanent',
    household: [baby, mother],
    concerns: [{ memberRef: 'baby', type: 'bruising', observedOn: '2026-11-20' }],
    appointments: [{ memberRef: 'baby', kind: 'health_review', dueOn: '2026-12-10', status: 'scheduled' }],
  } as unknown as CreateTransferDto;

  it('a new draft takes what is sent and fills the rest', () => {
    const draft = draftOf(create);
    expect(draft.fields).toMatchObject({
      involvement: 'universal',
      moveDate: '2026-12-01',
      moveType: 'permanent',
      reason: null,
      previousAddressArea: null,
      newAddress: null,
      leftSupportNetwork: false,
      supportNetworkNote: null,
      householdConfirmed: false,
      noMaleCarerReason: null,
    });
    expect(draft.members.map((m) => m.ref)).toEqual(['baby', 'mother']);
    expect(draft.concerns[0].memberId).toBe(draft.members[0].id);
    expect(draft.appointments[0].memberId).toBe(draft.members[0].id);
  });

  it('a draft without household, concerns or appointments has none', () => {
    const draft = draftOf({ ...create, household: undefined, concerns: undefined, appointments: undefined });
    expect([draft.members, draft.concerns, draft.appointments]).toEqual([[], [], []]);
  });

  const stored = (): TransferRecord => {
    const draft = draftOf({ ...create, reason: 'closer to family', householdConfirmed: true } as CreateTransferDto);
    return {
      transfer: { ...draft.fields } as unknown as TransferRow,
      members: draft.members,
      concerns: draft.concerns,
      appointments: draft.appointments,
      contacts: [],
      notReached: null,
      acknowledgements: [],
      latestPacket: null,
      childrenSeen: [],
    };
  };

  it('an update replaces what is sent, keeps what is not, and clears a field sent as null', () => {
    const record = stored();
    const revision = revisionOf({ moveDate: '2026-12-05', reason: null } as UpdateTransferDto, record);
    expect(revision.fields).toMatchObject({
      moveDate: '2026-12-05',
      reason: null,
      involvement: 'universal',
      householdConfirmed: true,
    });
    expect(revision.members).toBe(record.members);
    expect(revision.concerns).toBe(record.concerns);
    expect(revision.appointments).toBe(record.appointments);
  });

  it('a household sent alone keeps concerns and appointments, following their member’s ref', () => {
    const record = stored();
    const revision = revisionOf({ household: [mother, baby, father] } as UpdateTransferDto, record);
    const babyNow = revision.members.find((m) => m.ref === 'baby') as MemberRecord;
    expect(babyNow.id).toBe(record.members[0].id);
    expect(revision.concerns).toEqual([{ ...record.concerns[0], memberId: babyNow.id }]);
    expect(revision.appointments).toEqual([{ ...record.appointments[0], memberId: babyNow.id }]);
  });

  it('concerns sent replace the stored ones', () => {
    const record = stored();
    const revision = revisionOf(
      { concerns: [{ memberRef: 'mother', type: 'domestic_abuse', observedOn: '2026-11-21' }] } as UpdateTransferDto,
      record,
    );
    expect(revision.concerns).toHaveLength(1);
    expect(revision.concerns[0]).toMatchObject({ memberId: record.members[1].id, type: 'domestic_abuse' });
    expect(revision.concerns[0].id).not.toBe(record.concerns[0].id);
  });
});
