/**
 * Each child seen or not (issue 14 item 1), as a transfer's read shows it: the latest child_seen
 * item per child (a seen one before a newer open one), with its record opened and who saw the child
 * named. One SQL fragment over the transfer row `t`, used by the one-statement view and the full load
 * alike, so both say the same.
 */
import type { TransferCipher } from '../crypto/cipher.js';
import type { ChildSeenRow } from '../chase-items.repository.js';

/** A JSON array (`[]` when none) of the transfer `t`'s children's latest child_seen items. */
export const CHILDREN_SEEN = `coalesce((SELECT json_agg(json_build_object(
    'chaseItemId', s.id, 'memberId', s.member_id, 'status', s.status, 'resolution', s.resolution,
    'dueOn', to_char(s.due_on, 'YYYY-MM-DD'), 'ownerId', s.owner_id, 'evidence', s.evidence,
    'seenByName', sp.name, 'recordedById', s.closed_by_id, 'recordedAt', s.closed_at) ORDER BY s.member_id)
  FROM (SELECT DISTINCT ON (c.member_id) c.* FROM chase_items c
        WHERE c.transfer_id = t.id AND c.kind = 'child_seen' AND c.member_id IS NOT NULL
        ORDER BY c.member_id, (c.resolution = 'seen') DESC NULLS LAST, c.opened_at DESC, c.id) s
  LEFT JOIN practitioners sp ON sp.id = s.seen_by_id), '[]'::json)`;

/** One element of CHILDREN_SEEN as PostgreSQL returns it. */
export interface ChildSeenJson {
  chaseItemId: string;
  memberId: string;
  status: 'open' | 'closed';
  resolution: string | null;
  dueOn: string | null;
  ownerId: string | null;
  evidence: string | null;
  seenByName: string | null;
  recordedById: string | null;
  recordedAt: string | null;
}

type Evidence = { seenOn: string; seenById: string; where: string; seenAlone: boolean; note?: string | null };

/** CHILDREN_SEEN's rows with each record opened (only a `seen` item's evidence is the record). */
export function openChildrenSeen(cipher: TransferCipher, rows: readonly ChildSeenJson[]): ChildSeenRow[] {
  return rows.map(({ evidence, seenByName, recordedById, recordedAt, ...item }) => {
    const e = item.resolution === 'seen' ? cipher.openJson<Evidence>('chase_items.evidence', evidence) : null;
    return {
      ...item,
      seen: e
        ? {
            seenOn: e.seenOn,
            seenById: e.seenById,
            seenByName,
            where: e.where,
            seenAlone: e.seenAlone,
            note: e.note ?? null,
            recordedById,
            recordedAt: recordedAt === null ? null : new Date(recordedAt),
          }
        : null,
    };
  });
}
