import { EntityManager } from 'typeorm';

/** An email as queued: its row before the worker sends it. */
export interface NewEmail {
  id: string;
  transferId: string | null;
  chaseItemId: string | null;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  messageId: string;
  dedupeKey: string;
}

/** What an email about a transfer may name: its reference, teams, areas and contact deadline (nothing about the family). */
export interface EmailFactsRow {
  reference: string;
  version: number;
  contactDueAt: Date | null;
  sendingTeam: string;
  sendingArea: string;
  receivingTeam: string;
  receivingArea: string;
}

/** The `emails` table as the notifications' outbox writer uses it, in the caller's transaction. */
export class EmailRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Inserts the row unless one with its dedupe key exists; true when inserted. */
  async insert(email: NewEmail): Promise<boolean> {
    const inserted: { id: string }[] = await this.manager.query(
      `INSERT INTO emails (id, transfer_id, chase_item_id, kind, recipient, subject, body, message_id, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
      [
        email.id,
        email.transferId,
        email.chaseItemId,
        email.kind,
        email.recipient,
        email.subject,
        email.body,
        email.messageId,
        email.dedupeKey,
      ],
    );
    return inserted.length > 0;
  }

  async factsOf(transferId: string): Promise<EmailFactsRow> {
    const rows: EmailFactsRow[] = await this.manager.query(
      `SELECT t.reference, t.version, t.contact_due_at AS "contactDueAt", st.name AS "sendingTeam", sa.name AS "sendingArea",
            rt.name AS "receivingTeam", ra.name AS "receivingArea"
     FROM transfers t JOIN teams st ON st.id = t.sending_team_id JOIN areas sa ON sa.id = t.sending_area_id
       JOIN teams rt ON rt.id = t.receiving_team_id JOIN areas ra ON ra.id = t.receiving_area_id
     WHERE t.id = $1`,
      [transferId],
    );
    return rows[0];
  }
}
