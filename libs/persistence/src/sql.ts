import { UNCONFIRMED_STATUSES } from '@fh/domain';
import { EntityManager } from 'typeorm';

/** One multi-row INSERT (a single round trip however many rows). Column names are trusted code. */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  onConflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const values = rows.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
  await manager.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${onConflict}`, params);
}

/** The transfer row aliased `alias` is not yet confirmed (its status is one of UNCONFIRMED_STATUSES, trusted literals). */
export function unconfirmedPredicate(alias = 't'): string {
  return `${alias}.status IN (${UNCONFIRMED_STATUSES.map((s) => `'${s}'`).join(', ')})`;
}
