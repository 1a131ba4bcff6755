import type { DataSource } from 'typeorm';
import { appendAudit } from './audit.js';
import { ADVISORY_LOCKS } from './locks.js';
import { inTransaction } from './transaction.js';

/**
 * Creates the first admin (BOOTSTRAP_ADMIN_EMAIL) when there is no active one, audited in the same
 * transaction; returns whether it did. Safe to run from several replicas at once (advisory lock).
 */
export async function ensureBootstrapAdmin(dataSource: DataSource, email: string): Promise<boolean> {
  return inTransaction(dataSource, async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [ADVISORY_LOCKS.bootstrapAdmin]);
    const existing: unknown[] = await manager.query(
      `SELECT 1 FROM practitioners WHERE role = 'admin' AND active LIMIT 1`,
    );
    if (existing.length) return false;
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO practitioners (name, email, role, active) VALUES ('Administrator', $1, 'admin', true)
       ON CONFLICT (lower(email)) DO UPDATE SET role = 'admin', active = true, team_id = NULL, updated_at = now()
       RETURNING id`,
      [email.toLowerCase()],
    );
    await appendAudit(manager, {
      actorId: null,
      action: 'practitioner.bootstrap_admin',
      entityType: 'practitioner',
      entityId: rows[0].id,
      outcome: 'succeeded',
      requestId: null,
    });
    return true;
  });
}
