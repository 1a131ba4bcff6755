import {
  BHAM_CSC,
  BHAM_HV,
  BIRMINGHAM,
  LONDON,
  SANDWELL,
  SAND_HV,
  T0,
  ACTORS,
  accepted,
  acknowledgeAll,
  admin,
  at,
  contactConfirmed,
  contactRecorded,
  criticalAcknowledged,
  draftOf,
  expectOk,
  initiated,
  londonPrac,
  otherBhamMgr,
  otherBhamPrac,
  recordContactCommand,
  recvMgr,
  recvPrac,
  recvPrac2,
  ref,
  sendMgr,
  sendPrac,
  sendPrac2,
  slBham,
  slLondon,
  slSand,
  snapshot,
  step,
  REVIEW_CASE_ACTIONS,
} from './lifecycle.fixture.js';
import {
  SYSTEM_ACTOR,
  canSee,
  closeIfDone,
  createTransfer,
  decide,
  effectsOf,
  initiationGaps,
  unacknowledgedCriticalFlags,
  type Actor,
  type Command,
  type Decision,
  type Effect,
  type TransferState,
} from './lifecycle/index.js';
import { FATHER, MOTHER, RS, member, quietFacts, reviewCaseFacts } from './review-case.fixture.js';

const CONTACT_AT = at('2026-11-24T10:30:00Z');
const LATER = at('2026-11-24T11:00:00Z');

function refusal(d: Decision) {
  if (d.ok) throw new Error(`expected a refusal, got ${d.event.type}`);
  return { error: d.error, codes: d.reasons.map((r) => r.code) };
}

function expectRefused(d: Decision, error: string, codes: string[]) {
  expect(refusal(d)).toEqual({ error, codes });
  if (!d.ok) for (const r of d.reasons) expect(r.message.length).toBeGreaterThan(10);
}

describe('create', () => {
  it('makes a draft owned by the sending team, with the creator accountable', () => {
    const d = expectOk(
      createTransfer(sendPrac, { receivingTeamId: SAND_HV, receivingAreaId: SANDWELL, facts: reviewCaseFacts() }),
    );
    expect(d.event.type).toBe('transfer.created');
    expect(d.effects).toEqual([]);
    expect(d.state).toMatchObject({
      status: 'draft',
      sendingTeamId: BHAM_HV,
      sendingAreaId: BIRMINGHAM,
      receivingTeamId: SAND_HV,
      receivingAreaId: SANDWELL,
      accountablePractitionerId: sendPrac.id,
      initiatedAt: null,
      directContact: null,
      safeguardingAcknowledgements: [],
    });
  });

  it('refuses a receiving team in the same area', () => {
    expectRefused(
      createTransfer(sendPrac, { receivingTeamId: BHAM_CSC, receivingAreaId: BIRMINGHAM, facts: reviewCaseFacts() }),
      'PRECONDITION_FAILED',
      ['RECEIVING_TEAM_IN_SAME_AREA'],
    );
  });

  it('is for practitioners and managers in a team only', () => {
    const input = { receivingTeamId: SAND_HV, receivingAreaId: SANDWELL, facts: reviewCaseFacts() };
    expectRefused(createTransfer(admin, input), 'FORBIDDEN', ['ADMIN_NO_FAMILY_DATA']);
    expectRefused(createTransfer(slBham, input), 'FORBIDDEN', ['CANNOT_START_TRANSFER']);
    expect(createTransfer(sendMgr, input).ok).toBe(true);
  });
});

describe('update', () => {
  it('lets anyone on the sending side change a draft, facts replaced wholesale', () => {
    const d = expectOk(decide(draftOf(), sendPrac2, { type: 'update', facts: quietFacts() }, T0));
    expect(d.event.type).toBe('transfer.updated');
    expect(d.state.facts).toEqual(quietFacts());
    expect(d.state.accountablePractitionerId).toBe(sendPrac.id);
    expect(d.effects).toEqual([]);
  });

  it('can move the draft to another receiving team, never one in the sending area', () => {
    const moved = expectOk(
      decide(
        draftOf(),
        sendPrac,
        { type: 'update', facts: quietFacts(), receiving: { teamId: 'team-london-hv', areaId: LONDON } },
        T0,
      ),
    );
    expect(moved.state).toMatchObject({ receivingTeamId: 'team-london-hv', receivingAreaId: LONDON });
    expectRefused(
      decide(
        draftOf(),
        sendPrac,
        { type: 'update', facts: quietFacts(), receiving: { teamId: BHAM_CSC, areaId: BIRMINGHAM } },
        T0,
      ),
      'PRECONDITION_FAILED',
      ['RECEIVING_TEAM_IN_SAME_AREA'],
    );
  });

  it('is refused once initiated, and to the receiving side', () => {
    expectRefused(decide(initiated(), sendPrac, { type: 'update', facts: quietFacts() }, LATER), 'INVALID_STATE', [
      'NOT_ALLOWED_FROM_STATUS',
    ]);
    expectRefused(decide(draftOf(), recvPrac, { type: 'update', facts: quietFacts() }, T0), 'FORBIDDEN', [
      'NOT_VISIBLE',
    ]);
    const returned = step(initiated(), recvPrac, { type: 'return', reason: 'wrong team' }, LATER);
    expectRefused(decide(returned, recvPrac, { type: 'update', facts: quietFacts() }, LATER), 'FORBIDDEN', [
      'NOT_SENDING_SIDE',
    ]);
    expectRefused(decide(returned, otherBhamPrac, { type: 'update', facts: quietFacts() }, LATER), 'FORBIDDEN', [
      'NOT_VISIBLE',
    ]);
    expect(decide(returned, sendPrac2, { type: 'update', facts: quietFacts() }, LATER).ok).toBe(true);
  });

  it("supersedes a returned transfer's loose ends about appointments or people the update no longer records", () => {
    const returned = step(initiated(), recvPrac, { type: 'return', reason: 'wrong team' }, LATER);
    const facts = returned.facts;
    const [droppedAppointment, ...keptAppointments] = facts.appointments;
    const fewer = { ...facts, appointments: keptAppointments };
    const d = expectOk(decide(returned, sendPrac, { type: 'update', facts: fewer }, LATER));
    expect(d.effects).toEqual<Effect[]>([
      {
        type: 'chase.close_unrecorded',
        appointmentIds: keptAppointments.map((a) => a.id),
        memberIds: facts.household.map((m) => m.id),
        resolution: 'superseded',
      },
    ]);
    expect(d.effects).not.toContainEqual(expect.objectContaining({ appointmentIds: [droppedAppointment.id] }));
    // The same facts again drop nothing; a draft never initiated has no loose ends to supersede.
    expect(expectOk(decide(returned, sendPrac, { type: 'update', facts }, LATER)).effects).toEqual([]);
    expect(expectOk(decide(draftOf(), sendPrac, { type: 'update', facts: fewer }, T0)).effects).toEqual([]);
  });
});

/** The effects but the child_seen items every initiation opens (issue 14 item 1, child-seen.spec.ts). */
const withoutChildSeen = (effects: readonly Effect[]) =>
  effects.filter((e) => !(e.type === 'chase.open' && e.kind === 'child_seen'));

describe('initiate', () => {
  it('moves to awaiting_contact and sets everything in motion', () => {
    const d = expectOk(decide(draftOf(), sendPrac, { type: 'initiate' }, T0));
    expect(d.event.type).toBe('transfer.initiated');
    expect(d.state).toMatchObject({
      status: 'awaiting_contact',
      initiatedAt: T0,
      accountablePractitionerId: sendPrac.id,
    });
    // Each child's child_seen item (issue 14 item 1) is asserted in child-seen.spec.ts; the rest here.
    expect(withoutChildSeen(d.effects)).toEqual<Effect[]>([
      { type: 'packet.generate' },
      { type: 'notify', message: 'transfer.initiated', to: ['receiving_team'] },
      {
        type: 'notify',
        message: 'critical_flags',
        to: ['safeguarding_leads'],
        flagCodes: ['NON_MOBILE_INFANT_BRUISING', 'SAFEGUARDING_ADVICE_NOT_SOUGHT'],
      },
      // child in need: 5 working days, same wall-clock time
      { type: 'chase.open', kind: 'direct_contact', firstChaseAt: at('2026-11-30T10:00:00Z'), escalationLevel: 0 },
      // move on Fri 20 Nov + 5 working days, 09:00
      {
        type: 'chase.open',
        kind: 'gp_registration',
        memberId: RS,
        firstChaseAt: at('2026-11-27T09:00:00Z'),
        escalationLevel: 0,
      },
      // not brought: chased at once (already past), escalated one level
      {
        type: 'chase.open',
        kind: 'appointment',
        memberId: RS,
        appointmentId: 'appt-rs-hv',
        firstChaseAt: at('2026-10-21T08:00:00Z'),
        escalationLevel: 1,
      },
      {
        type: 'chase.open',
        kind: 'appointment',
        memberId: 'member-sibling',
        appointmentId: 'appt-sibling-imms',
        firstChaseAt: at('2026-09-15T08:00:00Z'),
        escalationLevel: 1,
      },
      {
        type: 'chase.open',
        kind: 'appointment',
        memberId: RS,
        appointmentId: 'appt-rs-weight',
        firstChaseAt: at('2026-11-30T09:00:00Z'),
        escalationLevel: 0,
      },
    ]);
  });

  it('opens a transfer-in conference chase for child protection, and alerts nobody without critical flags', () => {
    const d = expectOk(
      decide(draftOf(quietFacts({ involvement: 'child_protection' })), sendPrac, { type: 'initiate' }, T0),
    );
    expect(withoutChildSeen(d.effects)).toEqual<Effect[]>([
      { type: 'packet.generate' },
      { type: 'notify', message: 'transfer.initiated', to: ['receiving_team'] },
      { type: 'chase.open', kind: 'direct_contact', firstChaseAt: at('2026-11-24T10:00:00Z'), escalationLevel: 0 },
      {
        type: 'chase.open',
        kind: 'transfer_in_conference',
        firstChaseAt: at('2026-12-14T09:00:00Z'),
        escalationLevel: 0,
      },
    ]);
  });

  it('may be done by the accountable practitioner or a sending manager, no one else', () => {
    expect(decide(draftOf(), sendMgr, { type: 'initiate' }, T0).ok).toBe(true);
    expectRefused(decide(draftOf(), sendPrac2, { type: 'initiate' }, T0), 'FORBIDDEN', [
      'NOT_ACCOUNTABLE_OR_SENDING_MANAGER',
    ]);
    expectRefused(decide(draftOf(), otherBhamMgr, { type: 'initiate' }, T0), 'FORBIDDEN', ['NOT_VISIBLE']);
    expectRefused(decide(draftOf(), slBham, { type: 'initiate' }, T0), 'FORBIDDEN', [
      'NOT_ACCOUNTABLE_OR_SENDING_MANAGER',
    ]);
    expectRefused(decide(draftOf(), recvMgr, { type: 'initiate' }, T0), 'FORBIDDEN', ['NOT_VISIBLE']);
  });

  it('lists every unmet precondition at once', () => {
    const facts = reviewCaseFacts({
      householdConfirmed: false,
      household: [
        member({ id: MOTHER, role: 'mother', sex: 'female' }),
        member({ id: 'who', role: null, sex: 'male' }),
      ],
      concerns: [],
      appointments: [],
    });
    const d = decide(draftOf(facts), sendPrac, { type: 'initiate' }, T0);
    expectRefused(d, 'PRECONDITION_FAILED', [
      'NO_CHILD',
      'MEMBER_ROLE_MISSING',
      'HOUSEHOLD_NOT_CONFIRMED',
      'MALE_CARER_NOT_RECORDED',
    ]);
    expect(!d.ok && d.reasons.find((r) => r.code === 'MEMBER_ROLE_MISSING')?.memberIds).toEqual(['who']);
    expect(!d.ok && d.reasons.find((r) => r.code === 'MALE_CARER_NOT_RECORDED')).toEqual({
      code: 'MALE_CARER_NOT_RECORDED',
      message: 'father/male carer not recorded and no reason given',
    });
  });

  it("needs each child's GP status, a real move date and appointment dates", () => {
    const facts = reviewCaseFacts({
      moveDate: '20/11/2026',
      household: [...reviewCaseFacts().household.filter((m) => m.id !== RS), member({ id: RS, gp: { status: null } })],
      appointments: [{ id: 'a', memberId: RS, status: 'scheduled', dueOn: 'next week' }],
    });
    const d = decide(draftOf(facts), sendPrac, { type: 'initiate' }, T0);
    expectRefused(d, 'PRECONDITION_FAILED', [
      'GP_STATUS_NOT_RECORDED',
      'MOVE_DATE_INVALID',
      'APPOINTMENT_DATE_INVALID',
    ]);
    expect(!d.ok && d.reasons[0]!.memberIds).toEqual([RS]);
  });

  it('accepts a reason for no male carer instead of a recorded one, but not a blank one', () => {
    const noMen = (reason: string | null) =>
      reviewCaseFacts({
        noMaleCarerReason: reason,
        household: reviewCaseFacts().household.filter((m) => m.id !== FATHER),
      });
    expect(initiationGaps(noMen('father deceased; no partner')).map((r) => r.code)).toEqual([]);
    expect(initiationGaps(noMen('   ')).map((r) => r.code)).toEqual(['MALE_CARER_NOT_RECORDED']);
    // a male partner counts as a male carer; a partner of unknown sex does not
    const partner = (sex: 'male' | 'unknown') =>
      reviewCaseFacts({ household: [...noMen(null).household, member({ id: 'p', role: 'partner', sex })] });
    expect(initiationGaps(partner('male'))).toEqual([]);
    expect(initiationGaps(partner('unknown')).map((r) => r.code)).toEqual(['MALE_CARER_NOT_RECORDED']);
  });

  it('is refused from awaiting_contact', () => {
    expectRefused(decide(initiated(), sendPrac, { type: 'initiate' }, LATER), 'INVALID_STATE', [
      'NOT_ALLOWED_FROM_STATUS',
    ]);
  });
});

describe('record contact', () => {
  it('records the conversation and asks the sending side to check it back', () => {
    const s = initiated();
    const d = expectOk(
      decide(
        s,
        recvPrac,
        recordContactCommand(s, CONTACT_AT, { agreedActions: [{ id: 'action-1', dueOn: '2026-11-27' }] }),
        LATER,
      ),
    );
    expect(d.event.type).toBe('contact.recorded');
    expect(d.state.status).toBe('contact_recorded');
    expect(d.state.directContact).toEqual({
      id: `contact-${CONTACT_AT.getTime()}`,
      sendingPractitionerId: sendPrac.id,
      recordedById: recvPrac.id,
      occurredAt: CONTACT_AT,
      acknowledgedFlagCodes: reviewFlagCodes(),
      state: 'pending',
      method: 'phone',
      agreedActions: [{ id: 'action-1', dueOn: '2026-11-27' }],
    });
    // the direct-contact chase stays open: now the sending side must check the record back
    expect(d.effects).toEqual<Effect[]>([
      { type: 'packet.generate' },
      { type: 'notify', message: 'contact.check_back', to: ['sending_participant', 'accountable_practitioner'] },
    ]);
  });

  it('accepts only conversations: phone, video, in person or meeting', () => {
    const s = initiated();
    for (const method of ['phone', 'video', 'in_person', 'meeting']) {
      expect(decide(s, recvPrac, recordContactCommand(s, CONTACT_AT, { method }), LATER).ok).toBe(true);
    }
    for (const method of ['email', 'letter', 'message', 'PHONE', '']) {
      const d = decide(s, recvPrac, recordContactCommand(s, CONTACT_AT, { method }), LATER);
      expectRefused(d, 'PRECONDITION_FAILED', ['CONTACT_METHOD_NOT_CONVERSATION']);
      expect(!d.ok && d.reasons[0]).toEqual({
        code: 'CONTACT_METHOD_NOT_CONVERSATION',
        message: 'direct contact must be a conversation: phone, video, in person or meeting',
      });
    }
  });

  it('lists every unmet precondition at once', () => {
    const s = initiated();
    const d = decide(
      s,
      recvPrac,
      recordContactCommand(s, at('2026-11-23T09:59:00Z'), {
        method: 'email',
        sendingPractitioner: { id: londonPrac.id, teamId: londonPrac.teamId!, active: false },
        flagAcknowledgements: acknowledgeAll(s).filter(
          (a) => a.code !== 'NO_GP_REGISTRATION' && a.code !== 'WAS_NOT_BROUGHT',
        ),
        agreedActions: [{ id: 'x', dueOn: 'soon' }],
      }),
      LATER,
    );
    expectRefused(d, 'PRECONDITION_FAILED', [
      'CONTACT_METHOD_NOT_CONVERSATION',
      'CONTACT_BEFORE_INITIATION',
      'SENDING_PRACTITIONER_NOT_IN_SENDING_TEAM',
      'SENDING_PRACTITIONER_INACTIVE',
      'FLAGS_NOT_ACKNOWLEDGED',
      'AGREED_ACTION_DUE_DATE_INVALID',
    ]);
    const flags = !d.ok && d.reasons.find((r) => r.code === 'FLAGS_NOT_ACKNOWLEDGED');
    expect(flags && flags.flagCodes).toEqual(['NO_GP_REGISTRATION', 'WAS_NOT_BROUGHT']);
    expect(flags && flags.message).toMatch(
      /not yet acknowledged: Child not registered with a GP; Child not brought to appointments$/,
    );
  });

  it('refuses a conversation in the future, at the moment of initiation, or with no time', () => {
    const s = initiated();
    expectRefused(
      decide(s, recvPrac, recordContactCommand(s, at('2026-11-24T11:00:01Z')), LATER),
      'PRECONDITION_FAILED',
      ['CONTACT_IN_FUTURE'],
    );
    expectRefused(decide(s, recvPrac, recordContactCommand(s, T0), LATER), 'PRECONDITION_FAILED', [
      'CONTACT_BEFORE_INITIATION',
    ]);
    expectRefused(decide(s, recvPrac, recordContactCommand(s, new Date('not a date')), LATER), 'PRECONDITION_FAILED', [
      'CONTACT_TIME_INVALID',
    ]);
    expect(decide(s, recvPrac, recordContactCommand(s, LATER), LATER).ok).toBe(true); // "not after now" includes now
  });

  it('needs what was understood of each flag, not just its code', () => {
    const s = initiated();
    const blank = acknowledgeAll(s).map((a) => (a.code === 'WEIGHT_CONCERN' ? { ...a, understanding: '  ' } : a));
    const d = decide(s, recvPrac, recordContactCommand(s, CONTACT_AT, { flagAcknowledgements: blank }), LATER);
    expect(!d.ok && d.reasons.map((r) => r.flagCodes)).toEqual([['WEIGHT_CONCERN']]);
  });

  it('is for the receiving side, while awaiting contact', () => {
    const s = initiated();
    for (const who of [sendPrac, sendMgr, slSand, slBham]) {
      expectRefused(decide(s, who, recordContactCommand(s, CONTACT_AT), LATER), 'FORBIDDEN', ['NOT_RECEIVING_SIDE']);
    }
    expect(decide(s, recvMgr, recordContactCommand(s, CONTACT_AT), LATER).ok).toBe(true);
    const recorded = contactRecorded();
    expectRefused(decide(recorded, recvPrac, recordContactCommand(recorded, CONTACT_AT), LATER), 'INVALID_STATE', [
      'NOT_ALLOWED_FROM_STATUS',
    ]);
  });
});

describe('confirm contact (check back)', () => {
  it('agreed by the sending participant: contact_confirmed, agreed actions chased (the contact chase runs on until acceptance)', () => {
    const s0 = initiated();
    const recorded = step(
      s0,
      recvPrac,
      recordContactCommand(s0, CONTACT_AT, { agreedActions: [{ id: 'action-1', dueOn: '2026-11-28' }] }),
      LATER,
    );
    const d = expectOk(decide(recorded, sendPrac, { type: 'confirmContact', agree: true }, at('2026-11-24T14:00:00Z')));
    expect(d.event.type).toBe('contact.confirmed');
    expect(d.state.status).toBe('contact_confirmed');
    expect(d.state.directContact?.state).toBe('confirmed');
    expect(d.effects).toEqual<Effect[]>([
      { type: 'notify', message: 'contact.confirmed', to: ['receiving_team'] },
      // due on Saturday 28 Nov → chased Monday 30 Nov at 09:00
      {
        type: 'chase.open',
        kind: 'agreed_action',
        agreedActionId: 'action-1',
        firstChaseAt: at('2026-11-30T09:00:00Z'),
        escalationLevel: 0,
      },
    ]);
  });

  it('may be done by the accountable practitioner when someone else took part', () => {
    const s = initiated();
    const recorded = step(
      s,
      recvPrac,
      recordContactCommand(s, CONTACT_AT, { sendingPractitioner: ref(sendPrac2) }),
      LATER,
    );
    expect(decide(recorded, sendPrac, { type: 'confirmContact', agree: true }, LATER).ok).toBe(true);
    expect(decide(recorded, sendPrac2, { type: 'confirmContact', agree: true }, LATER).ok).toBe(true);
    for (const who of [sendMgr, recvPrac, recvMgr, slBham]) {
      expectRefused(decide(recorded, who, { type: 'confirmContact', agree: true }, LATER), 'FORBIDDEN', [
        'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE',
      ]);
    }
  });

  it('disagreed, with a comment: back to awaiting_contact, the record kept as disputed, the contact chase still open', () => {
    const recorded = contactRecorded();
    expectRefused(decide(recorded, sendPrac, { type: 'confirmContact', agree: false }, LATER), 'PRECONDITION_FAILED', [
      'COMMENT_REQUIRED',
    ]);
    expectRefused(
      decide(recorded, sendPrac, { type: 'confirmContact', agree: false, comment: ' ' }, LATER),
      'PRECONDITION_FAILED',
      ['COMMENT_REQUIRED'],
    );
    const d = expectOk(
      decide(
        recorded,
        sendPrac,
        { type: 'confirmContact', agree: false, comment: 'the bruise was not discussed' },
        at('2026-11-24T14:00:00Z'),
      ),
    );
    expect(d.event.type).toBe('contact.disputed');
    expect(d.state.status).toBe('awaiting_contact');
    expect(d.state.directContact).toMatchObject({ state: 'disputed', recordedById: recvPrac.id });
    expect(d.effects).toEqual<Effect[]>([{ type: 'notify', message: 'contact.disputed', to: ['receiving_team'] }]);
    // the receiving side records a new conversation, which replaces the disputed record
    const again = step(
      d.state,
      recvPrac2,
      recordContactCommand(d.state, at('2026-11-25T09:00:00Z'), { method: 'video' }),
      at('2026-11-25T09:30:00Z'),
    );
    expect(again.directContact).toMatchObject({ state: 'pending', recordedById: recvPrac2.id, method: 'video' });
  });

  it('is only possible while a record waits to be checked back', () => {
    expectRefused(decide(initiated(), sendPrac, { type: 'confirmContact', agree: true }, LATER), 'INVALID_STATE', [
      'NOT_ALLOWED_FROM_STATUS',
    ]);
    expectRefused(
      decide(contactConfirmed(), sendPrac, { type: 'confirmContact', agree: true }, LATER),
      'INVALID_STATE',
      ['NOT_ALLOWED_FROM_STATUS'],
    );
    const inconsistent: TransferState = {
      ...contactRecorded(),
      directContact: { ...contactRecorded().directContact!, state: 'confirmed' },
    };
    expectRefused(
      decide(inconsistent, sendPrac, { type: 'confirmContact', agree: true }, LATER),
      'PRECONDITION_FAILED',
      ['CONTACT_NOT_PENDING'],
    );
  });
});

describe('acknowledge a flag', () => {
  const advice = 'Strategy discussion today; child protection medical arranged';

  it('is recorded for a safeguarding lead of either area', () => {
    for (const lead of [slBham, slSand]) {
      const d = expectOk(
        decide(
          initiated(),
          lead,
          { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice, actions: REVIEW_CASE_ACTIONS },
          LATER,
        ),
      );
      expect(d.event.type).toBe('flag.acknowledged');
      expect(d.state.safeguardingAcknowledgements).toEqual(['NON_MOBILE_INFANT_BRUISING']);
      expect(d.state.status).toBe('awaiting_contact');
      // The advice travels: a new packet version carries it (issue 12 item 2).
      expect(d.effects).toEqual([{ type: 'packet.generate' }]);
    }
  });

  it('does not duplicate a second acknowledgement of the same flag', () => {
    const once = step(
      initiated(),
      slBham,
      { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice, actions: REVIEW_CASE_ACTIONS },
      LATER,
    );
    const again = decide(
      once,
      slSand,
      { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice, actions: REVIEW_CASE_ACTIONS },
      LATER,
    );
    const twice = expectOk(again).state;
    expect(twice.safeguardingAcknowledgements).toEqual(['NON_MOBILE_INFANT_BRUISING']);
    // …but the second lead's advice is its own event, kept beside the first, in a new packet version.
    expect(expectOk(again).event.type).toBe('flag.acknowledged');
    expect(expectOk(again).effects).toEqual([{ type: 'packet.generate' }]);
  });

  it('is refused to anyone else', () => {
    for (const who of [sendPrac, sendMgr, recvPrac, recvMgr]) {
      expectRefused(
        decide(
          initiated(),
          who,
          { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice, actions: REVIEW_CASE_ACTIONS },
          LATER,
        ),
        'FORBIDDEN',
        ['NOT_SAFEGUARDING_LEAD'],
      );
    }
    expectRefused(
      decide(
        initiated(),
        slLondon,
        { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice, actions: REVIEW_CASE_ACTIONS },
        LATER,
      ),
      'FORBIDDEN',
      ['NOT_VISIBLE'],
    );
    expectRefused(
      decide(
        initiated(),
        admin,
        { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice, actions: REVIEW_CASE_ACTIONS },
        LATER,
      ),
      'FORBIDDEN',
      ['ADMIN_NO_FAMILY_DATA'],
    );
  });

  it('needs a raised flag and the advice given', () => {
    expectRefused(
      decide(initiated(), slSand, { type: 'acknowledgeFlag', code: 'NOT_A_FLAG', advice }, LATER),
      'PRECONDITION_FAILED',
      ['UNKNOWN_FLAG_CODE'],
    );
    expectRefused(
      decide(initiated(quietFacts()), slSand, { type: 'acknowledgeFlag', code: 'WAS_NOT_BROUGHT', advice: '' }, LATER),
      'PRECONDITION_FAILED',
      ['FLAG_NOT_ACTIVE', 'ADVICE_REQUIRED'],
    );
  });

  it('is possible only between initiation and acceptance (and after it), not on a draft', () => {
    expectRefused(
      decide(
        draftOf(),
        slBham,
        { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice, actions: REVIEW_CASE_ACTIONS },
        T0,
      ),
      'INVALID_STATE',
      ['NOT_ALLOWED_FROM_STATUS'],
    );
    expect(decide(accepted(), slSand, { type: 'acknowledgeFlag', code: 'WEIGHT_CONCERN', advice }, LATER).ok).toBe(
      true,
    );
  });
});

describe('accept', () => {
  it('hands accountability and every open chase item to the receiving lead', () => {
    const s = criticalAcknowledged();
    const d = expectOk(
      decide(s, recvPrac, { type: 'accept', leadPractitioner: ref(recvPrac2) }, at('2026-11-25T09:30:00Z')),
    );
    expect(d.event.type).toBe('transfer.accepted');
    expect(d.state.status).toBe('accepted');
    expect(d.state.accountablePractitionerId).toBe(recvPrac2.id);
    expect(d.effects).toEqual<Effect[]>([
      { type: 'chase.close', kind: 'direct_contact', resolution: 'accepted' },
      { type: 'chase.transfer_ownership', to: recvPrac2.id },
      { type: 'notify', message: 'transfer.accepted', to: ['sending_team', 'lead_practitioner'] },
    ]);
  });

  it('is blocked by critical flags until a safeguarding lead acknowledges each', () => {
    const s = contactConfirmed();
    const lead = { type: 'accept', leadPractitioner: ref(recvPrac2) } as const;
    const d = decide(s, recvPrac, lead, LATER);
    expectRefused(d, 'PRECONDITION_FAILED', ['CRITICAL_FLAGS_NOT_ACKNOWLEDGED']);
    expect(!d.ok && d.reasons[0]!.flagCodes).toEqual(['NON_MOBILE_INFANT_BRUISING', 'SAFEGUARDING_ADVICE_NOT_SOUGHT']);
    const one = step(
      s,
      slBham,
      { type: 'acknowledgeFlag', code: 'SAFEGUARDING_ADVICE_NOT_SOUGHT', advice: 'advice sought now' },
      LATER,
    );
    const d2 = decide(one, recvPrac, lead, LATER);
    expect(!d2.ok && d2.reasons[0]!.flagCodes).toEqual(['NON_MOBILE_INFANT_BRUISING']);
    expect(unacknowledgedCriticalFlags(one)).toEqual(['NON_MOBILE_INFANT_BRUISING']);
    const both = step(
      one,
      slSand,
      {
        type: 'acknowledgeFlag',
        code: 'NON_MOBILE_INFANT_BRUISING',
        advice: 'medical today',
        actions: REVIEW_CASE_ACTIONS,
      },
      LATER,
    );
    expect(decide(both, recvPrac, lead, LATER).ok).toBe(true);
  });

  it('does not wait for acknowledgement of flags that are not critical', () => {
    const facts = reviewCaseFacts({ concerns: [] }); // high and medium flags only
    expect(
      decide(contactConfirmed(facts), recvMgr, { type: 'accept', leadPractitioner: ref(recvPrac) }, LATER).ok,
    ).toBe(true);
  });

  it('needs an active lead practitioner in the receiving team, listing every gap', () => {
    const d = decide(
      contactConfirmed(),
      recvPrac,
      { type: 'accept', leadPractitioner: { ...ref(londonPrac), active: false } },
      LATER,
    );
    expectRefused(d, 'PRECONDITION_FAILED', [
      'CRITICAL_FLAGS_NOT_ACKNOWLEDGED',
      'LEAD_NOT_IN_RECEIVING_TEAM',
      'LEAD_INACTIVE',
    ]);
  });

  it('never happens without a confirmed direct contact', () => {
    expectRefused(
      decide(initiated(quietFacts()), recvPrac, { type: 'accept', leadPractitioner: ref(recvPrac) }, LATER),
      'INVALID_STATE',
      ['NOT_ALLOWED_FROM_STATUS'],
    );
    expectRefused(
      decide(contactRecorded(quietFacts()), recvPrac, { type: 'accept', leadPractitioner: ref(recvPrac) }, LATER),
      'INVALID_STATE',
      ['NOT_ALLOWED_FROM_STATUS'],
    );
    const forged: TransferState = { ...contactConfirmed(quietFacts()), directContact: null };
    expectRefused(
      decide(forged, recvPrac, { type: 'accept', leadPractitioner: ref(recvPrac) }, LATER),
      'PRECONDITION_FAILED',
      ['CONTACT_NOT_CONFIRMED'],
    );
  });

  it('is for the receiving side', () => {
    for (const who of [sendPrac, sendMgr, slSand]) {
      expectRefused(
        decide(criticalAcknowledged(), who, { type: 'accept', leadPractitioner: ref(recvPrac2) }, LATER),
        'FORBIDDEN',
        ['NOT_RECEIVING_SIDE'],
      );
    }
  });
});

describe('return', () => {
  it('sends the transfer back before acceptance; the sending side stays accountable and is chased to re-initiate', () => {
    for (const s of [initiated(), contactRecorded(), contactConfirmed()]) {
      const d = expectOk(
        decide(
          s,
          recvPrac,
          { type: 'return', reason: 'family is living in Dudley, not Sandwell' },
          at('2026-11-24T16:00:00Z'),
        ),
      );
      expect(d.event.type).toBe('transfer.returned');
      expect(d.state.status).toBe('returned');
      expect(d.state.accountablePractitionerId).toBe(sendPrac.id);
      expect(d.effects).toEqual<Effect[]>([
        { type: 'chase.close', kind: 'direct_contact', resolution: 'superseded' },
        { type: 'chase.open', kind: 'direct_contact', firstChaseAt: at('2026-11-25T09:00:00Z'), escalationLevel: 0 },
        { type: 'notify', message: 'transfer.returned', to: ['accountable_practitioner', 'sending_team'] },
      ]);
    }
  });

  it('needs a reason, the receiving side, and no acceptance yet', () => {
    expectRefused(decide(initiated(), recvPrac, { type: 'return', reason: '' }, LATER), 'PRECONDITION_FAILED', [
      'REASON_REQUIRED',
    ]);
    expectRefused(decide(initiated(), sendPrac, { type: 'return', reason: 'x' }, LATER), 'FORBIDDEN', [
      'NOT_RECEIVING_SIDE',
    ]);
    expectRefused(decide(accepted(), recvPrac, { type: 'return', reason: 'x' }, LATER), 'INVALID_STATE', [
      'NOT_ALLOWED_FROM_STATUS',
    ]);
    expectRefused(decide(draftOf(), recvPrac, { type: 'return', reason: 'x' }, LATER), 'FORBIDDEN', ['NOT_VISIBLE']);
  });

  it('is followed by a re-initiation that starts a fresh round', () => {
    const confirmed = criticalAcknowledged();
    const returned = step(
      confirmed,
      recvPrac,
      { type: 'return', reason: "packet missing the father's probation details" },
      at('2026-11-24T16:00:00Z'),
    );
    const updated = step(
      returned,
      sendPrac,
      { type: 'update', facts: reviewCaseFacts({ supportNetworkNote: 'maternal grandparents, Birmingham' }) },
      at('2026-11-25T09:00:00Z'),
    );
    const d = expectOk(decide(updated, sendPrac, { type: 'initiate' }, at('2026-11-25T10:00:00Z')));
    expect(d.state).toMatchObject({
      status: 'awaiting_contact',
      initiatedAt: at('2026-11-25T10:00:00Z'),
      directContact: null,
      safeguardingAcknowledgements: [],
    });
    expect(d.effects.slice(0, 5)).toEqual<Effect[]>([
      { type: 'packet.generate' },
      { type: 'notify', message: 'transfer.initiated', to: ['receiving_team'] },
      {
        type: 'notify',
        message: 'critical_flags',
        to: ['safeguarding_leads'],
        flagCodes: ['NON_MOBILE_INFANT_BRUISING', 'SAFEGUARDING_ADVICE_NOT_SOUGHT'],
      },
      { type: 'chase.close', kind: 'direct_contact', resolution: 'superseded' },
      { type: 'chase.open', kind: 'direct_contact', firstChaseAt: at('2026-12-02T10:00:00Z'), escalationLevel: 0 },
    ]);
    // a contact from the previous round does not count any more
    expectRefused(
      decide(d.state, recvPrac, recordContactCommand(d.state, at('2026-11-25T09:59:00Z')), at('2026-11-25T11:00:00Z')),
      'PRECONDITION_FAILED',
      ['CONTACT_BEFORE_INITIATION'],
    );
  });
});

describe('cancel', () => {
  it('closes every chase item as not required; tells the receiving team only if it ever knew', () => {
    const fromDraft = expectOk(decide(draftOf(), sendPrac, { type: 'cancel', reason: 'family did not move' }, T0));
    expect(fromDraft.state.status).toBe('cancelled');
    expect(fromDraft.event.type).toBe('transfer.cancelled');
    expect(fromDraft.effects).toEqual<Effect[]>([{ type: 'chase.close_all', resolution: 'not_required' }]);
    const returned = step(initiated(), recvPrac, { type: 'return', reason: 'x' }, LATER);
    for (const s of [initiated(), returned]) {
      const d = expectOk(decide(s, sendMgr, { type: 'cancel', reason: 'family did not move' }, LATER));
      expect(d.effects).toEqual<Effect[]>([
        { type: 'chase.close_all', resolution: 'not_required' },
        { type: 'notify', message: 'transfer.cancelled', to: ['receiving_team'] },
      ]);
    }
  });

  it('needs a reason, the accountable practitioner or a sending manager, and an allowed status', () => {
    expectRefused(decide(initiated(), sendPrac, { type: 'cancel', reason: '  ' }, LATER), 'PRECONDITION_FAILED', [
      'REASON_REQUIRED',
    ]);
    expectRefused(decide(initiated(), sendPrac2, { type: 'cancel', reason: 'x' }, LATER), 'FORBIDDEN', [
      'NOT_ACCOUNTABLE_OR_SENDING_MANAGER',
    ]);
    expectRefused(decide(initiated(), recvMgr, { type: 'cancel', reason: 'x' }, LATER), 'FORBIDDEN', [
      'NOT_ACCOUNTABLE_OR_SENDING_MANAGER',
    ]);
    for (const s of [contactRecorded(), contactConfirmed(), accepted()]) {
      expectRefused(decide(s, sendPrac, { type: 'cancel', reason: 'x' }, LATER), 'INVALID_STATE', [
        'NOT_ALLOWED_FROM_STATUS',
      ]);
    }
  });
});

describe('close', () => {
  it('is done by the system once no chase item is open', () => {
    const d = expectOk(closeIfDone(accepted(), 0, LATER));
    expect(d.state.status).toBe('closed');
    expect(d.event.type).toBe('transfer.closed');
    expectRefused(closeIfDone(accepted(), 2, LATER), 'PRECONDITION_FAILED', ['CHASE_ITEMS_OPEN']);
    expectRefused(decide(accepted(), recvMgr, { type: 'close', openChaseItems: 0 }, LATER), 'FORBIDDEN', [
      'SYSTEM_ONLY',
    ]);
    expectRefused(closeIfDone(contactConfirmed(), 0, LATER), 'INVALID_STATE', ['NOT_ALLOWED_FROM_STATUS']);
  });

  it('leaves nothing to do afterwards', () => {
    const closed = expectOk(closeIfDone(accepted(), 0, LATER)).state;
    expectRefused(decide(closed, recvPrac, { type: 'return', reason: 'x' }, LATER), 'INVALID_STATE', [
      'NOT_ALLOWED_FROM_STATUS',
    ]);
  });
});

describe('reassign', () => {
  it('lets a manager of the team holding accountability hand it to a colleague', () => {
    const d = expectOk(decide(initiated(), sendMgr, { type: 'reassign', to: ref(sendPrac2) }, LATER));
    expect(d.event.type).toBe('transfer.reassigned');
    expect(d.state.accountablePractitionerId).toBe(sendPrac2.id);
    expect(d.effects).toEqual<Effect[]>([
      { type: 'chase.transfer_ownership', to: sendPrac2.id },
      { type: 'notify', message: 'transfer.reassigned', to: ['accountable_practitioner'] },
    ]);
    expect(decide(accepted(), recvMgr, { type: 'reassign', to: ref(recvPrac) }, LATER).ok).toBe(true);
  });

  it('keeps accountability within the accountable side', () => {
    expectRefused(decide(initiated(), sendPrac, { type: 'reassign', to: ref(sendPrac2) }, LATER), 'FORBIDDEN', [
      'NOT_ACCOUNTABLE_SIDE_MANAGER',
    ]);
    expectRefused(decide(initiated(), recvMgr, { type: 'reassign', to: ref(recvPrac) }, LATER), 'FORBIDDEN', [
      'NOT_ACCOUNTABLE_SIDE_MANAGER',
    ]);
    expectRefused(decide(accepted(), sendMgr, { type: 'reassign', to: ref(sendPrac2) }, LATER), 'FORBIDDEN', [
      'NOT_ACCOUNTABLE_SIDE_MANAGER',
    ]);
    expectRefused(
      decide(initiated(), sendMgr, { type: 'reassign', to: ref(recvPrac, false) }, LATER),
      'PRECONDITION_FAILED',
      ['ASSIGNEE_NOT_IN_TEAM', 'ASSIGNEE_INACTIVE'],
    );
  });
});

describe('who can see a transfer', () => {
  const visibleTo = (s: TransferState) => ACTORS.filter((a) => canSee(a, s)).map((a) => a.id);

  it("shows a draft to the sending team and the sending area's safeguarding lead only", () => {
    expect(visibleTo(draftOf())).toEqual(['p-send', 'p-send-2', 'm-send', 'sl-bham']);
  });

  it("shows an initiated transfer to both teams and both areas' leads, never to others or admins", () => {
    const expected = ['p-send', 'p-send-2', 'm-send', 'p-recv', 'p-recv-2', 'm-recv', 'sl-bham', 'sl-sand'];
    for (const s of [initiated(), contactConfirmed(), accepted()]) expect(visibleTo(s)).toEqual(expected);
    const returned = step(initiated(), recvPrac, { type: 'return', reason: 'x' }, LATER);
    expect(visibleTo(returned)).toEqual(expected);
  });

  it('never showed a transfer cancelled as a draft to the receiving side', () => {
    const cancelled = step(draftOf(), sendPrac, { type: 'cancel', reason: 'did not move' }, T0);
    expect(visibleTo(cancelled)).toEqual(['p-send', 'p-send-2', 'm-send', 'sl-bham']);
  });

  it('shows everything to the system', () => {
    expect(canSee(SYSTEM_ACTOR, draftOf())).toBe(true);
  });

  it('refuses every command from someone who cannot see the transfer', () => {
    const commands: Command[] = [
      { type: 'initiate' },
      { type: 'return', reason: 'x' },
      { type: 'cancel', reason: 'x' },
    ];
    for (const who of [londonPrac, otherBhamPrac, slLondon] as Actor[]) {
      for (const c of commands) expectRefused(decide(initiated(), who, c, LATER), 'FORBIDDEN', ['NOT_VISIBLE']);
    }
  });
});

describe('purity', () => {
  it('never mutates the state, even when it succeeds', () => {
    const s = contactRecorded();
    const before = snapshot(s);
    decide(s, sendPrac, { type: 'confirmContact', agree: false, comment: 'no' }, LATER);
    decide(s, sendPrac, { type: 'confirmContact', agree: true }, LATER);
    decide(s, recvPrac, { type: 'return', reason: 'x' }, LATER);
    expect(snapshot(s)).toBe(before);
  });

  it('computes the same effects through effectsOf as decide returns', () => {
    const s = draftOf();
    const d = expectOk(decide(s, sendPrac, { type: 'initiate' }, T0));
    expect(effectsOf(d.event, s, d.state, T0)).toEqual(d.effects);
  });
});

function reviewFlagCodes() {
  return [
    'NON_MOBILE_INFANT_BRUISING',
    'SAFEGUARDING_ADVICE_NOT_SOUGHT',
    'NO_GP_REGISTRATION',
    'WAS_NOT_BROUGHT',
    'ADULT_RISK_IN_HOUSEHOLD',
    'MALE_CARER_NOT_ENGAGED',
    'LEFT_SUPPORT_NETWORK',
    'WEIGHT_CONCERN',
    'PARENTAL_VULNERABILITY',
    'NHS_NUMBER_MISSING',
  ];
}

describe('changing the receiving team', () => {
  it('is allowed while a draft, and refused once the transfer has been sent', () => {
    const other = { teamId: 'team-other-hv', areaId: 'area-other' };
    const draft = draftOf();
    expect(decide(draft, sendPrac, { type: 'update', facts: draft.facts, receiving: other }, T0).ok).toBe(true);
    const returned = step(initiated(), recvPrac, { type: 'return', reason: 'not our area' }, LATER);
    expectRefused(
      decide(returned, sendPrac, { type: 'update', facts: returned.facts, receiving: other }, LATER),
      'PRECONDITION_FAILED',
      ['RECEIVING_TEAM_FIXED'],
    );
    // the same team may be named again
    expect(
      decide(
        returned,
        sendPrac,
        {
          type: 'update',
          facts: returned.facts,
          receiving: { teamId: returned.receivingTeamId, areaId: returned.receivingAreaId },
        },
        LATER,
      ).ok,
    ).toBe(true);
  });
});
