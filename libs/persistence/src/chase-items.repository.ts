import type { ChaseKind, EscalationLevel, TransferStatus, VisibilityFacts } from '@fh/domain';
import { EntityManager } from 'typeorm';
import { lockTransfer } from './transfers/transfer.repository.js';
import type { TransferCipher } from './crypto/cipher.js';
import { transferCipher } from './crypto/transfer-keys.repository.js';
import { visibilityColumns } from './visibility.js';

/** A chase item as the API shows it. */
export interface ChaseItemRow {
  id: string;
  transferId: string;
  kind: ChaseKind;
  memberId: string | null;
  appointmentId: string | null;
  agreedActionId: string | null;
  status: 'open' | 'closed';
  /** null: a receiving-side item (child_seen) nobody in the receiving team holds by name yet — the team owns it. */
  ownerId: string | null;
  /** The local date it is due by, where it has one (child_seen). */
  dueOn: string | null;
  openedAt: Date;
  nextChaseAt: Date;
  reminders: number;
  escalationLevel: EscalationLevel;
  closedAt: Date | null;
  closedById: string | null;
  resolution: string | null;
  evidence: unknown;
}

/** A child's child_seen item with its record, as the transfer view and the packet show it (issue 14 item 1). */
export interface ChildSeenRow {
  chaseItemId: string;
  memberId: string;
  status: 'open' | 'closed';
  resolution: string | null;
  dueOn: string | null;
  ownerId: string | null;
  /** The record, once seen (the item's evidence, opened). */
  seen: {
    seenOn: string;
    seenById: string;
    seenByName: string | null;
    where: string;
    seenAlone: boolean;
    note: string | null;
    recordedById: string | null;
    recordedAt: Date | null;
  } | null;
}

/** A due item the sweep claimed. */
export interface DueChaseItem {
  id: string;
  transferId: string;
  transferStatus: TransferStatus;
  kind: ChaseKind;
  ownerId: string | null;
  reminders: number;
  escalationLevel: EscalationLevel;
  nextChaseAt: Date;
}

/** A loose end to open, owned by `ownerId`, first chased at `nextChaseAt`. */
export interface NewChaseItem {
  kind: ChaseKind;
  memberId?: string | null;
  appointmentId?: string | null;
  agreedActionId?: string | null;
  /** null only for a receiving-side item (child_seen) before anyone in the receiving team holds it. */
  ownerId: string | null;
  dueOn?: string | null;
  nextChaseAt: Date;
  escalationLevel: EscalationLevel;
}

const ITEM_COLUMNS = `c.id, c.transfer_id AS "transferId", c.kind, c.member_id AS "memberId", c.appointment_id AS "appointmentId",
  c.agreed_action_id AS "agreedActionId", c.status, c.owner_id AS "ownerId", to_char(c.due_on, 'YYYY-MM-DD') AS "dueOn", c.opened_at AS "openedAt", c.next_chase_at AS "nextChaseAt",
  c.reminders, c.escalation_level AS "escalationLevel", c.closed_at AS "closedAt", c.closed_by_id AS "closedById", c.resolution, c.evidence`;

/**
 * Due open items, oldest due first, skipping those another sweep holds. Served by the partial
 * index chase_items_due_idx (next_chase_at WHERE status = 'open'): cost follows what is due.
 */
export const DUE_ITEMS_SQL = `SELECT c.id, c.transfer_id AS "transferId", t.status AS "transferStatus", c.kind, c.owner_id AS "ownerId", c.reminders,
         c.escalation_level AS "escalationLevel", c.next_chase_at AS "nextChaseAt"
  FROM chase_items c JOIN transfers t ON t.id = c.transfer_id
  WHERE c.status = 'open' AND c.next_chase_at <= $1 AND t.status NOT IN ('cancelled', 'closed')
  ORDER BY c.next_chase_at
  LIMIT $2
  FOR UPDATE OF c SKIP LOCKED`;

/** Which items a lock-for-decision picks: one by id, or the open one of an appointment. */
const LOCK_WHERE = {
  id: `c.id = $1`,
  openOfAppointment: `c.appointment_id = $1 AND c.status = 'open'`,
} as const;

/**
 * chase_items: every statement that reads or writes a transfer's loose ends, in one place. Used
 * inside the caller's transaction (transition effects, the chasing API, the worker's sweep).
 */
export class ChaseItemRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Evidence is sealed under the transfer's data key (it may name people or say why): opened here, only where there is some. */
  private async opened<T extends ChaseItemRow>(rows: T[]): Promise<T[]> {
    const ciphers = new Map<string, TransferCipher>();
    const out: T[] = [];
    for (const row of rows) {
      if (row.evidence === null) {
        out.push(row);
        continue;
      }
      let c = ciphers.get(row.transferId);
      if (!c) ciphers.set(row.transferId, (c = await transferCipher(this.manager, row.transferId)));
      out.push({ ...row, evidence: c.openJson('chase_items.evidence', row.evidence as string) });
    }
    return out;
  }

  /**
   * Opens a loose end — unless an open item with the same kind and member / appointment / agreed
   * action already exists for the transfer (a re-initiation repeats the loose ends it still has), or
   * the same child was already recorded seen (a child seen is not asked about again).
   */
  async open(transferId: string, item: NewChaseItem): Promise<void> {
    await this.manager.query(
      `INSERT INTO chase_items (transfer_id, kind, member_id, appointment_id, agreed_action_id, owner_id, next_chase_at, escalation_level, due_on)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::date
       WHERE NOT EXISTS (
         SELECT 1 FROM chase_items WHERE transfer_id = $1 AND kind = $2 AND (status = 'open' OR resolution = 'seen')
           AND member_id IS NOT DISTINCT FROM $3::uuid AND appointment_id IS NOT DISTINCT FROM $4::uuid
           AND agreed_action_id IS NOT DISTINCT FROM $5::uuid)`,
      [
        transferId,
        item.kind,
        item.memberId ?? null,
        item.appointmentId ?? null,
        item.agreedActionId ?? null,
        item.ownerId,
        item.nextChaseAt,
        item.escalationLevel,
        item.dueOn ?? null,
      ],
    );
  }

  /** Closes the transfer's open items of one kind. */
  async closeByKind(transferId: string, kind: ChaseKind, resolution: string): Promise<void> {
    await this.manager.query(
      `UPDATE chase_items SET status = 'closed', closed_at = now(), resolution = $3 WHERE transfer_id = $1 AND kind = $2 AND status = 'open'`,
      [transferId, kind, resolution],
    );
  }

  /** Closes every open item of the transfer. */
  async closeAll(transferId: string, resolution: string): Promise<void> {
    await this.manager.query(
      `UPDATE chase_items SET status = 'closed', closed_at = now(), resolution = $2 WHERE transfer_id = $1 AND status = 'open'`,
      [transferId, resolution],
    );
  }

  /**
   * Closes, as superseded, open appointment and GP-registration items about appointments or people no
   * longer recorded. Runs after the family rows are replaced: an item whose appointment or person was
   * deleted has lost its reference (ON DELETE SET NULL), so a missing reference counts as not recorded.
   */
  async closeNoLongerRecorded(
    transferId: string,
    appointmentIds: readonly string[],
    memberIds: readonly string[],
  ): Promise<void> {
    await this.manager.query(
      `UPDATE chase_items SET status = 'closed', closed_at = now(), resolution = 'superseded'
       WHERE transfer_id = $1 AND status = 'open' AND (
         (kind = 'appointment' AND (appointment_id IS NULL OR NOT (appointment_id = ANY($2::uuid[])))) OR
         (kind IN ('gp_registration', 'child_seen') AND (member_id IS NULL OR NOT (member_id = ANY($3::uuid[])))))`,
      [transferId, appointmentIds, memberIds],
    );
  }

  /**
   * Every open item of the transfer now belongs to `to` — but the receiving side's own (child_seen)
   * to `receivingOwner` (null: the receiving team).
   */
  async moveOwnership(transferId: string, to: string, receivingOwner: string | null): Promise<void> {
    await this.manager.query(
      `UPDATE chase_items SET owner_id = CASE WHEN kind = 'child_seen' THEN $3::uuid ELSE $2::uuid END
       WHERE transfer_id = $1 AND status = 'open'`,
      [transferId, to, receivingOwner],
    );
  }

  /**
   * The child seen (issue 14 item 1): closes the child's open child_seen item with the record as its
   * evidence (sealed). Returns false when there was no open item to close.
   */
  async recordChildSeen(
    transferId: string,
    memberId: string,
    at: Date,
    recordedById: string,
    evidence: { seenOn: string; seenById: string; where: string; seenAlone: boolean; note: string | null },
  ): Promise<boolean> {
    const sealed = (await transferCipher(this.manager, transferId)).sealJson('chase_items.evidence', evidence);
    const rows: unknown[] = await this.manager.query(
      // A CTE, so the driver returns the closed rows (TypeORM answers an UPDATE with [rows, count]).
      `WITH closed AS (
         UPDATE chase_items SET status = 'closed', closed_at = $3, closed_by_id = $4, resolution = 'seen', evidence = $5,
                seen_by_id = $6
         WHERE transfer_id = $1 AND member_id = $2 AND kind = 'child_seen' AND status = 'open' RETURNING id)
       SELECT id FROM closed`,
      [transferId, memberId, at, recordedById, sealed, evidence.seenById],
    );
    return rows.length > 0;
  }

  /** How many items of the transfer are still open. */
  async countOpen(transferId: string): Promise<number> {
    const [{ open }]: { open: number }[] = await this.manager.query(
      `SELECT count(*)::int AS open FROM chase_items WHERE transfer_id = $1 AND status = 'open'`,
      [transferId],
    );
    return open;
  }

  /** Claims up to `limit` items due at `now` for this transaction (DUE_ITEMS_SQL). */
  claimDue(now: Date, limit: number): Promise<DueChaseItem[]> {
    return this.manager.query(DUE_ITEMS_SQL, [now, limit]);
  }

  /** A reminder was sent: its number, the level reached and when to chase next. */
  async recordReminder(id: string, reminders: number, level: EscalationLevel, nextChaseAt: Date): Promise<void> {
    await this.manager.query(
      `UPDATE chase_items SET reminders = $2, escalation_level = $3, next_chase_at = $4 WHERE id = $1`,
      [id, reminders, level, nextChaseAt],
    );
  }

  /** Escalates an item and moves its next chase (an appointment the child was not brought to). */
  async escalate(id: string, level: EscalationLevel, nextChaseAt: Date): Promise<void> {
    await this.manager.query(`UPDATE chase_items SET escalation_level = $2, next_chase_at = $3 WHERE id = $1`, [
      id,
      level,
      nextChaseAt,
    ]);
  }

  /** Closes one item by a person, with the resolution and the evidence that justifies it. */
  async closeWithEvidence(
    id: string,
    at: Date,
    closedById: string,
    resolution: string,
    evidence: Record<string, unknown>,
  ): Promise<void> {
    const [{ transferId }]: { transferId: string }[] = await this.manager.query(
      `SELECT transfer_id AS "transferId" FROM chase_items WHERE id = $1`,
      [id],
    );
    const sealed = (await transferCipher(this.manager, transferId)).sealJson('chase_items.evidence', evidence);
    await this.manager.query(
      `UPDATE chase_items SET status = 'closed', closed_at = $2, closed_by_id = $3, resolution = $4, evidence = $5 WHERE id = $1`,
      [id, at, closedById, resolution, sealed],
    );
  }

  /** The transfer's items, oldest first. */
  async listOf(transferId: string): Promise<ChaseItemRow[]> {
    return this.opened(
      await this.manager.query(
        `SELECT ${ITEM_COLUMNS} FROM chase_items c WHERE c.transfer_id = $1 ORDER BY c.opened_at, c.id`,
        [transferId],
      ),
    );
  }

  async get(id: string): Promise<ChaseItemRow | null> {
    const rows: ChaseItemRow[] = await this.manager.query(`SELECT ${ITEM_COLUMNS} FROM chase_items c WHERE c.id = $1`, [
      id,
    ]);
    return (await this.opened(rows))[0] ?? null;
  }

  /** The appointment's latest item, open or closed. */
  async latestOfAppointment(appointmentId: string): Promise<ChaseItemRow | null> {
    const rows: ChaseItemRow[] = await this.manager.query(
      `SELECT ${ITEM_COLUMNS} FROM chase_items c WHERE c.appointment_id = $1 ORDER BY c.opened_at DESC LIMIT 1`,
      [appointmentId],
    );
    return (await this.opened(rows))[0] ?? null;
  }

  /**
   * An item locked for a decision, with the facts visibility needs about its transfer; null if there
   * is none. The transfer first, then the item: the one lock order every writer follows.
   */
  async lockForDecision(which: keyof typeof LOCK_WHERE, key: string): Promise<(ChaseItemRow & VisibilityFacts) | null> {
    const where = LOCK_WHERE[which];
    const [owner]: { transferId: string }[] = await this.manager.query(
      `SELECT c.transfer_id AS "transferId" FROM chase_items c WHERE ${where} LIMIT 1`,
      [key],
    );
    if (owner) await lockTransfer(this.manager, owner.transferId);
    const rows: (ChaseItemRow & VisibilityFacts)[] = await this.manager.query(
      `SELECT ${ITEM_COLUMNS}, ${visibilityColumns('t')} FROM chase_items c JOIN transfers t ON t.id = c.transfer_id WHERE ${where} FOR UPDATE OF c`,
      [key],
    );
    return (await this.opened(rows))[0] ?? null;
  }
}
