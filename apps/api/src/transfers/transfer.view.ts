import {
  availableActions,
  bruisingProtocolConcerns,
  bruisingProtocolMissing,
  childSeenStatus,
  clockFlags,
  CONFERENCE_PENDING_STATUSES,
  confidentialAddressText,
  hostNotificationGrounds,
  londonDate,
  isNationalAlertDue,
  mayReadConfidentialAddress,
  notReachedFlags,
  UNCONFIRMED_STATUSES,
} from '@fh/domain';
import type { Actor, ClockPolicy, TransferStatus } from '@fh/domain';
import { currentContact, stateOf } from '@fh/persistence';
import type { TransferRecord, TransferRow } from '@fh/persistence';

/** Who is on each side and who is accountable, as every view of a transfer shows them. */
function parties(t: TransferRow) {
  return {
    sending: { area: t.sendingAreaCode, teamId: t.sendingTeamId, teamName: t.sendingTeamName },
    receiving: { area: t.receivingAreaCode, teamId: t.receivingTeamId, teamName: t.receivingTeamName },
    accountablePractitioner: {
      id: t.accountablePractitionerId,
      name: t.accountablePractitionerName,
      teamId: t.accountablePractitionerTeamId,
    },
    /** Child protection, accepted in and awaiting the conference: the receiving lead running the plan. */
    interimLead:
      t.interimLeadId === null ? null : { id: t.interimLeadId, name: t.interimLeadName, teamId: t.interimLeadTeamId },
  };
}

/** The stored flags, with those raised by a clock now (a transfer-in conference not held by its date). */
function riskFlagsNow(t: TransferRow, now: Date) {
  const clocked = clockFlags(
    {
      conferenceDueAt: (CONFERENCE_PENDING_STATUSES as readonly TransferStatus[]).includes(t.status)
        ? t.conferenceDueAt
        : null,
      conferenceHeld: t.conferenceHeldOn !== null,
    },
    now,
  );
  return [...t.riskFlags, ...clocked];
}

/** The transfer-in conference (child protection): when due, what was recorded, the written outcome's receipt. */
function conferenceView(t: TransferRow, now: Date) {
  if (t.conferenceDueAt === null && t.conferenceHeldOn === null) return null;
  return {
    dueAt: t.conferenceDueAt,
    overdue: riskFlagsNow(t, now).some((f) => f.code === 'CONFERENCE_OVERDUE'),
    heldOn: t.conferenceHeldOn,
    outcome: t.conferenceOutcome,
    chair: t.conferenceChair,
    notes: t.conferenceNotes,
    recordedById: t.conferenceRecordedById,
    recordedAt: t.conferenceRecordedAt,
    writtenOutcome:
      t.conferenceReceivedOn === null
        ? null
        : {
            receivedOn: t.conferenceReceivedOn,
            confirmedById: t.conferenceConfirmedById,
            confirmedAt: t.conferenceConfirmedAt,
          },
  };
}

/**
 * The child seen (issue 14 item 1): for each child of the household, seen or not, the day they are
 * due to have been seen by, whether that has passed, the working days since the move (to the day they
 * were seen, or to today) and, once seen, the record.
 */
function childrenSeenView(record: TransferRecord, now: Date) {
  const today = londonDate(now);
  const byMember = new Map(record.childrenSeen.map((i) => [i.memberId, i]));
  return record.members
    .filter((m) => m.role === 'child')
    .map((m) => {
      const item = byMember.get(m.id) ?? null;
      const status = childSeenStatus(
        record.transfer.moveDate,
        item ? { dueOn: item.dueOn, seenOn: item.seen?.seenOn ?? null } : null,
        today,
      );
      return {
        memberId: m.id,
        memberRef: m.ref,
        ...status,
        chaseItemId: item?.chaseItemId ?? null,
        /** open | closed (seen, or by a manager as no longer required), null before initiation. */
        itemStatus: item?.status ?? null,
        resolution: item?.resolution ?? null,
        seenOn: item?.seen?.seenOn ?? null,
        seenBy: item?.seen ? { id: item.seen.seenById, name: item.seen.seenByName } : null,
        where: item?.seen?.where ?? null,
        seenAlone: item?.seen?.seenAlone ?? null,
        note: item?.seen?.note ?? null,
        recordedById: item?.seen?.recordedById ?? null,
        recordedAt: item?.seen?.recordedAt ?? null,
      };
    });
}

/** The lawful basis as API.md shows it: without consent, who approved it by id and name. */
function sharingBasisView(b: TransferRow['sharingBasis']) {
  if (b?.basis !== 'safeguarding_without_consent') return b;
  const { approvedBy, ...basis } = b;
  return { ...basis, approvedBy: { id: b.approvedById, name: approvedBy?.name ?? null } };
}

/**
 * The family not reached (issue 14 item 2): the latest route — its attempts, the locate checklist
 * with what each check found, the national alert decision (when due, whether due now, what was
 * decided) and the family found — kept after it ends; null when the family was never reported.
 */
function notReachedView(record: TransferRecord, now: Date) {
  const r = record.notReached;
  if (!r) return null;
  return {
    open: r.found === null,
    // The flag the route raised stays in its history: in riskFlags while open, here for good.
    flag: {
      code: 'FAMILY_NOT_REACHED' as const,
      severity: 'critical' as const,
      raisedAt: r.openedAt,
      active: r.found === null,
    },
    openedAt: r.openedAt,
    openedById: r.openedById,
    attempts: r.attempts,
    checklist: r.checks.map((c) => ({ ...c, open: c.found === null })),
    nationalAlert: {
      dueAt: r.nationalAlertDueAt,
      due: isNationalAlertDue(r, now),
      decision: r.nationalAlert,
    },
    found: r.found,
  };
}

/** Contact is overdue while the transfer is unconfirmed and its deadline has passed. */
function isOverdue(t: TransferRow, now: Date): boolean {
  return (
    (UNCONFIRMED_STATUSES as readonly TransferStatus[]).includes(t.status) &&
    t.contactDueAt !== null &&
    t.contactDueAt.getTime() < now.getTime()
  );
}

/** Does this caller's view of the transfer show a confidential address (a reading to audit on its own)? */
export function showsConfidentialAddress(record: TransferRecord, actor: Actor): boolean {
  return record.transfer.newAddress?.confidential === true && mayReadConfidentialAddress(stateOf(record), actor);
}

/**
 * The new address as this caller may see it (issue 13 item 5): as stored, unless it is confidential
 * and the caller is not one of the few who may read it — then no line and no postcode, only whom to
 * ask (the accountable practitioner).
 */
function addressView(record: TransferRecord, actor: Actor) {
  const t = record.transfer;
  if (!t.newAddress?.confidential || showsConfidentialAddress(record, actor)) return t.newAddress;
  return {
    confidential: true as const,
    withheld: true as const,
    text: confidentialAddressText(t.accountablePractitionerName),
    ask: { id: t.accountablePractitionerId, name: t.accountablePractitionerName },
  };
}

/** A transfer in a list: enough to pick it out, without the family's details. */
export function summaryView(t: TransferRow, now: Date) {
  return {
    id: t.id,
    reference: t.reference,
    status: t.status,
    kind: t.kind,
    version: t.version,
    involvement: t.involvement,
    moveDate: t.moveDate,
    ...parties(t),
    riskFlags: riskFlagsNow(t, now).map((f) => ({ code: f.code, severity: f.severity })),
    contactDueAt: t.contactDueAt,
    conferenceDueAt: t.conferenceDueAt,
    overdue: isOverdue(t, now),
    createdAt: t.createdAt,
    initiatedAt: t.initiatedAt,
    acceptedAt: t.acceptedAt,
  };
}

/**
 * The transfer resource of API.md, from what is stored, with what this caller can do with it now
 * (`availableActions`: the domain's decide() as a dry run, issue 10).
 */
export function transferView(record: TransferRecord, now: Date, actor: Actor, clocks: ClockPolicy) {
  const t = record.transfer;
  const refOf = new Map(record.members.map((m) => [m.id, m.ref]));
  const contact = currentContact(record);
  const state = stateOf(record);
  // The bruising protocol (issue 14 item 4): which concerns it applies to, and what each still lacks.
  const inProtocol = new Set(bruisingProtocolConcerns(state.facts));
  return {
    id: t.id,
    reference: t.reference,
    status: t.status,
    /** transfer | host_notification (issue 13 item 2), and why it is a host notification. */
    kind: t.kind,
    hostNotificationGrounds: hostNotificationGrounds(state.facts),
    /** The host team's named contact, once the notification is acknowledged. */
    hostContact: t.hostContactPractitionerId
      ? { id: t.hostContactPractitionerId, name: t.hostContactPractitionerName }
      : null,
    notificationAcknowledgedAt: t.notificationAcknowledgedAt,
    version: t.version,
    involvement: t.involvement,
    moveDate: t.moveDate,
    moveType: t.moveType,
    expectedUntil: t.expectedUntil,
    reviewOn: t.reviewOn,
    shortStayChoice: t.shortStayChoice,
    sharingBasis: sharingBasisView(t.sharingBasis),
    familyInformed: t.familyInformed,
    reason: t.reason,
    previousAddressArea: t.previousAddressArea,
    newAddress: addressView(record, actor),
    leftSupportNetwork: t.leftSupportNetwork,
    supportNetworkNote: t.supportNetworkNote,
    householdConfirmed: t.householdConfirmed,
    noMaleCarerReason: t.noMaleCarerReason,
    ...parties(t),
    household: record.members,
    concerns: record.concerns.map((c, i) => {
      const facts = state.facts.concerns[i];
      return {
        ...c,
        memberRef: refOf.get(c.memberId) ?? null,
        /** null when the protocol does not apply (not a bruise or injury on a child not independently mobile). */
        bruisingProtocol:
          facts && inProtocol.has(facts) ? { applies: true, missing: bruisingProtocolMissing(facts) } : null,
      };
    }),
    appointments: record.appointments.map((a) => ({ ...a, memberRef: refOf.get(a.memberId) ?? null })),
    riskFlags: [...riskFlagsNow(t, now), ...notReachedFlags(record.notReached)].map((flag) => {
      // Every lead's advice is kept (oldest first); the single field is the newest of them.
      const advice = record.acknowledgements
        .filter((a) => a.code === flag.code)
        .map((a) => ({
          advice: a.advice,
          actions: a.actions ?? [],
          acknowledgedById: a.acknowledgedById,
          acknowledgedByName: a.acknowledgedByName,
          acknowledgedAt: a.acknowledgedAt,
        }));
      const latest = advice.at(-1);
      return {
        ...flag,
        safeguardingAcknowledgement: latest
          ? {
              advice: latest.advice,
              actions: latest.actions,
              acknowledgedById: latest.acknowledgedById,
              acknowledgedAt: latest.acknowledgedAt,
            }
          : null,
        safeguardingAcknowledgements: advice,
      };
    }),
    contactDueAt: t.contactDueAt,
    overdue: isOverdue(t, now),
    directContact: contact,
    conference: conferenceView(t, now),
    childrenSeen: childrenSeenView(record, now),
    familyNotReached: notReachedView(record, now),
    latestPacket: record.latestPacket,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    initiatedAt: t.initiatedAt,
    acceptedAt: t.acceptedAt,
    returnedAt: t.returnedAt,
    returnReason: t.returnReason,
    cancelledAt: t.cancelledAt,
    cancelReason: t.cancelReason,
    closedAt: t.closedAt,
    availableActions: availableActions(state, actor, now, { clocks }),
  };
}

export type TransferView = ReturnType<typeof transferView>;
