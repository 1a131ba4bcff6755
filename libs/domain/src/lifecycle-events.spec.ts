/** The events decide() returns carry what was decided: the store writes them and re-derives nothing. */
import { contactDueAt, DEFAULT_CLOCK_POLICY, firstChaseAt } from './clocks.js';
import {
  T0,
  accepted,
  at,
  contactConfirmed,
  contactRecorded,
  draftOf,
  expectOk,
  initiated,
  recordContactCommand,
  recvPrac,
  recvPrac2,
  ref,
  sendMgr,
  sendPrac,
  sendPrac2,
  slSand,
  SAND_HV,
  SANDWELL,
  REVIEW_CASE_ACTIONS,
} from './lifecycle.fixture.js';
import { closeIfDone, createTransfer, decide, type TransferEventRecord } from './lifecycle/index.js';
import { quietFacts, reviewCaseFacts } from './review-case.fixture.js';

const LATER = at('2026-11-24T11:00:00Z');
const CONTACT_AT = at('2026-11-24T10:30:00Z');

describe('event payloads', () => {
  it('creation and update: the update names the facts and receiving team now recorded', () => {
    const created = expectOk(
      createTransfer(sendPrac, { receivingTeamId: SAND_HV, receivingAreaId: SANDWELL, facts: reviewCaseFacts() }),
    );
    expect(created.event).toEqual<TransferEventRecord>({ type: 'transfer.created' });
    const facts = quietFacts();
    const d = expectOk(decide(draftOf(), sendPrac, { type: 'update', facts }, T0));
    expect(d.event).toEqual<TransferEventRecord>({
      type: 'transfer.updated',
      facts,
      receiving: { teamId: SAND_HV, areaId: SANDWELL },
    });
  });

  it('initiation carries the contact deadline, and its direct-contact chase is timed from that same deadline', () => {
    const d = expectOk(decide(draftOf(), sendPrac, { type: 'initiate' }, T0));
    const due = contactDueAt(T0, reviewCaseFacts().involvement);
    expect(d.event).toEqual<TransferEventRecord>({ type: 'transfer.initiated', initiatedAt: T0, contactDueAt: due });
    const chase = d.effects.find((e) => e.type === 'chase.open' && e.kind === 'direct_contact');
    expect(chase).toMatchObject({ firstChaseAt: firstChaseAt('direct_contact', { contactDueAt: due }) });
  });

  it('initiation computes the deadline under the clock policy it is given', () => {
    const involvement = reviewCaseFacts().involvement;
    const clocks = {
      ...DEFAULT_CLOCK_POLICY,
      contactDueWorkingDays: { ...DEFAULT_CLOCK_POLICY.contactDueWorkingDays, [involvement]: 20 },
    };
    const d = expectOk(decide(draftOf(), sendPrac, { type: 'initiate' }, T0, { clocks }));
    const due = contactDueAt(T0, involvement, clocks);
    expect(due.getTime()).toBeGreaterThan(contactDueAt(T0, involvement).getTime());
    expect(d.event).toMatchObject({ contactDueAt: due });
  });

  it('a recorded contact carries its id, who took part, the acknowledgements as given and the agreed actions', () => {
    const s = initiated();
    const command = recordContactCommand(s, CONTACT_AT, { agreedActions: [{ id: 'action-1', dueOn: '2026-11-27' }] });
    const d = expectOk(decide(s, recvPrac, command, LATER));
    if (command.type !== 'recordContact') throw new Error('fixture');
    expect(d.event).toEqual<TransferEventRecord>({
      type: 'contact.recorded',
      contact: {
        id: command.contactId,
        occurredAt: CONTACT_AT,
        method: 'phone',
        sendingPractitionerId: sendPrac.id,
        recordedById: recvPrac.id,
        state: 'pending',
        flagAcknowledgements: command.flagAcknowledgements,
        agreedActions: [{ id: 'action-1', dueOn: '2026-11-27' }],
      },
    });
    expect(d.state.directContact?.id).toBe(command.contactId);
  });

  it('the check-back names the contact it checks and its result; a dispute keeps the comment, trimmed', () => {
    const s = contactRecorded();
    const contactId = s.directContact!.id;
    expect(
      expectOk(decide(s, sendPrac, { type: 'confirmContact', agree: true }, LATER)).event,
    ).toEqual<TransferEventRecord>({
      type: 'contact.confirmed',
      contactId,
      state: 'confirmed',
      checkedById: sendPrac.id,
    });
    expect(
      expectOk(decide(s, sendPrac, { type: 'confirmContact', agree: false, comment: '  not what we said ' }, LATER))
        .event,
    ).toEqual<TransferEventRecord>({
      type: 'contact.disputed',
      contactId,
      state: 'disputed',
      checkedById: sendPrac.id,
      comment: 'not what we said',
    });
  });

  it('an acknowledgement carries the flag, the advice (trimmed) and who gave it', () => {
    const d = expectOk(
      decide(
        initiated(),
        slSand,
        { type: 'acknowledgeFlag', code: 'NON_MOBILE_INFANT_BRUISING', advice: ' ask ', actions: REVIEW_CASE_ACTIONS },
        LATER,
      ),
    );
    expect(d.event).toEqual<TransferEventRecord>({
      type: 'flag.acknowledged',
      code: 'NON_MOBILE_INFANT_BRUISING',
      advice: 'ask',
      by: slSand.id,
      actions: REVIEW_CASE_ACTIONS,
    });
  });

  it('a host notification acknowledged names the host team contact', () => {
    const facts = { ...quietFacts(), involvement: 'looked_after' as const };
    const s = contactConfirmed(facts);
    const d = expectOk(
      decide(s, recvPrac, { type: 'acknowledgeNotification', contactPractitioner: ref(recvPrac2) }, LATER),
    );
    expect(d.event).toEqual<TransferEventRecord>({
      type: 'notification.acknowledged',
      at: LATER,
      contactPractitionerId: recvPrac2.id,
    });
  });

  it('acceptance, return, cancellation, closing and reassignment carry when, why and who', () => {
    const confirmed = contactConfirmed(quietFacts());
    expect(
      expectOk(decide(confirmed, recvPrac, { type: 'accept', leadPractitioner: ref(recvPrac2) }, LATER)).event,
    ).toEqual<TransferEventRecord>({ type: 'transfer.accepted', at: LATER, lead: recvPrac2.id });
    expect(
      expectOk(decide(initiated(), recvPrac, { type: 'return', reason: ' wrong area ' }, LATER)).event,
    ).toEqual<TransferEventRecord>({ type: 'transfer.returned', at: LATER, reason: 'wrong area' });
    expect(
      expectOk(decide(initiated(), sendMgr, { type: 'cancel', reason: ' did not move ' }, LATER)).event,
    ).toEqual<TransferEventRecord>({ type: 'transfer.cancelled', at: LATER, reason: 'did not move' });
    expect(expectOk(closeIfDone(accepted(), 0, LATER)).event).toEqual<TransferEventRecord>({
      type: 'transfer.closed',
      at: LATER,
    });
    expect(
      expectOk(decide(initiated(), sendMgr, { type: 'reassign', to: ref(sendPrac2) }, LATER)).event,
    ).toEqual<TransferEventRecord>({ type: 'transfer.reassigned', from: sendPrac.id, to: sendPrac2.id });
  });
});
