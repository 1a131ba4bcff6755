import type { TransferCipher } from '../crypto/cipher.js';
import type {
  AgreedActionRecord,
  ConcernRecord,
  DirectContactRecord,
  FlagAcknowledgementRecord,
  InvolvementRecord,
  MemberRecord,
  TransferRecord,
  TransferRow,
} from './transfer.records.js';

/**
 * How a transfer's records are opened after a read: each ENCRYPTED_COLUMNS value
 * (crypto/family-columns.ts) is opened with the transfer's cipher under its own `table.column`;
 * everything else passes through. The writes seal with the same names (transfer-commands.repository.ts,
 * transfer.repository.ts).
 */

/** The key columns every transfer read carries beside the row (TRANSFER_COLUMNS). */
export interface KeyColumns {
  kekId: string | null;
  wrappedKey: Buffer | string | null;
}

/** json_build_object shows bytea as '\\x…' hex; a plain column as a Buffer. */
export function wrappedKeyBytes(value: Buffer | string | null): Buffer | null {
  if (value === null) return null;
  return Buffer.isBuffer(value) ? value : Buffer.from(value.replace(/^\\x/, ''), 'hex');
}

export function openTransferRow(c: TransferCipher, row: TransferRow): TransferRow {
  return {
    ...row,
    reason: c.open('transfers.reason', row.reason),
    newAddress: c.openJson<TransferRow['newAddress']>('transfers.new_address', row.newAddress as unknown as string),
    supportNetworkNote: c.open('transfers.support_network_note', row.supportNetworkNote),
    noMaleCarerReason: c.open('transfers.no_male_carer_reason', row.noMaleCarerReason),
    returnReason: c.open('transfers.return_reason', row.returnReason),
    cancelReason: c.open('transfers.cancel_reason', row.cancelReason),
    conferenceChair: c.open('transfers.conference_chair', row.conferenceChair),
    conferenceNotes: c.open('transfers.conference_notes', row.conferenceNotes),
    shortStayChoice: row.shortStayChoice
      ? { ...row.shortStayChoice, reason: c.open('transfers.short_stay_reason', row.shortStayChoice.reason) }
      : row.shortStayChoice,
    sharingBasis:
      row.sharingBasis?.basis === 'consent'
        ? { ...row.sharingBasis, givenBy: c.open('transfers.consent_given_by', row.sharingBasis.givenBy) ?? '' }
        : row.sharingBasis?.basis === 'safeguarding_without_consent'
          ? { ...row.sharingBasis, rationale: c.open('transfers.sharing_rationale', row.sharingBasis.rationale) ?? '' }
          : null,
    familyInformed:
      row.familyInformed && 'notInformedReason' in row.familyInformed
        ? {
            notInformedReason:
              c.open('transfers.family_not_informed_reason', row.familyInformed.notInformedReason) ?? '',
          }
        : (row.familyInformed ?? null),
  };
}

export function openMember(c: TransferCipher, m: MemberRecord): MemberRecord {
  return {
    ...m,
    givenName: c.open('household_members.given_name', m.givenName),
    familyName: c.open('household_members.family_name', m.familyName),
    dateOfBirth: c.open('household_members.date_of_birth', m.dateOfBirth),
    nhsNumber: c.open('household_members.nhs_number', m.nhsNumber),
    involvements: m.involvements.map((i) => openInvolvement(c, i)),
  };
}

export function openInvolvement(c: TransferCipher, i: InvolvementRecord): InvolvementRecord {
  return { ...i, detail: c.open('member_involvements.detail', i.detail) };
}

export function openConcern(c: TransferCipher, concern: ConcernRecord): ConcernRecord {
  const { healthAssessment: h, referral: r, multiAgencyDiscussion: d } = concern;
  return {
    ...concern,
    description: c.open('concerns.description', concern.description),
    healthAssessment: h ? { ...h, by: c.open('concerns.health_assessment_by', h.by) } : null,
    referral: r ? { ...r, reference: c.open('concerns.referral_reference', r.reference) } : null,
    multiAgencyDiscussion: d ? { ...d, outcome: c.open('concerns.discussion_outcome', d.outcome) } : null,
    parentsExplanation: c.open('concerns.parents_explanation', concern.parentsExplanation ?? null),
  };
}

export function openContact<T extends Pick<DirectContactRecord, 'summary' | 'disputeComment' | 'agreedActions'>>(
  c: TransferCipher,
  contact: T & { flagAcknowledgements: unknown },
): T & { flagAcknowledgements: DirectContactRecord['flagAcknowledgements'] } {
  return {
    ...contact,
    summary: c.open('direct_contacts.summary', contact.summary),
    flagAcknowledgements:
      c.openJson<DirectContactRecord['flagAcknowledgements']>(
        'direct_contacts.flag_acknowledgements',
        contact.flagAcknowledgements as string,
      ) ?? [],
    disputeComment: c.open('direct_contacts.dispute_comment', contact.disputeComment),
    agreedActions: contact.agreedActions.map((a) => openAction(c, a)),
  };
}

export function openAction(c: TransferCipher, a: AgreedActionRecord): AgreedActionRecord {
  return { ...a, description: c.open('agreed_actions.description', a.description) };
}

export function openAcknowledgement<T extends Pick<FlagAcknowledgementRecord, 'advice' | 'actions'>>(
  c: TransferCipher,
  a: T,
): T {
  return {
    ...a,
    advice: c.open('flag_acknowledgements.advice', a.advice),
    actions:
      c.openJson<FlagAcknowledgementRecord['actions']>(
        'flag_acknowledgements.protocol_actions',
        a.actions as unknown as string | null,
      ) ?? [],
  };
}

/** A whole record as read (every family value still sealed) → as the rules and views use it. */
export function openRecord(c: TransferCipher, record: TransferRecord): TransferRecord {
  return {
    ...record,
    transfer: openTransferRow(c, record.transfer),
    members: record.members.map((m) => openMember(c, m)),
    concerns: record.concerns.map((x) => openConcern(c, x)),
    contacts: record.contacts.map((x) => openContact(c, x)),
    acknowledgements: record.acknowledgements.map((a) => openAcknowledgement(c, a)),
  };
}
