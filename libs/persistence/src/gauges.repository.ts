import type { EntityManager } from 'typeorm';
import { unconfirmedPredicate } from './sql.js';

/** What the worker's state gauges show, counted in PostgreSQL at `now`. */
export interface GaugeCounts {
  /** Transfers not yet confirmed, per receiving area code and whether their contact is overdue. */
  unconfirmed: { area: string; overdue: boolean; n: number }[];
  /** Open chase items per kind and escalation level. */
  chaseItems: { kind: string; level: number; n: number }[];
  /** Emails not (yet) sent, per status. */
  emails: { status: string; n: number }[];
  /** Outbox rows waiting for the relay, and the age in seconds of the oldest (0 when none). */
  outbox: { n: number; oldest: number };
}

/** The four counts behind the worker's gauges, run side by side on the pool. */
export async function countGauges(manager: EntityManager, now: Date): Promise<GaugeCounts> {
  const [unconfirmed, chaseItems, emails, outbox] = await Promise.all([
    manager.query(
      `SELECT a.code AS area, (t.contact_due_at < $1) AS overdue, count(*)::int AS n
       FROM transfers t JOIN areas a ON a.id = t.receiving_area_id
       WHERE ${unconfirmedPredicate('t')} GROUP BY 1, 2`,
      [now],
    ),
    manager.query(
      `SELECT kind, escalation_level AS level, count(*)::int AS n FROM chase_items WHERE status = 'open' GROUP BY 1, 2`,
    ),
    manager.query(`SELECT status, count(*)::int AS n FROM emails WHERE status <> 'sent' GROUP BY 1`),
    manager.query(
      `SELECT count(*)::int AS n, coalesce(extract(epoch FROM $1::timestamptz - min(created_at)), 0)::float AS oldest FROM outbox WHERE dispatched_at IS NULL`,
      [now],
    ),
  ]);
  return { unconfirmed, chaseItems, emails, outbox: outbox[0] };
}
