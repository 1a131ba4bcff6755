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

/**
 * How many rows each branch of a merged page reads (a page, the "is there more" row included, takes at
 * most 101), written into the statement's text. With the limit a parameter PostgreSQL costs a named
 * statement's generic plan as if 10 % of the rows were wanted, never picks it, and plans the statement
 * afresh on every call; a handful of buckets keeps the texts few and the generic plan in use. Only the
 * merged page's own LIMIT stays a parameter.
 */
export function branchLimit(take: number): number {
  return [26, 51, 101].find((n) => n >= take) ?? take;
}
