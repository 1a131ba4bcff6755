import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/**
 * A named statement: PostgreSQL parses and plans it once per connection, and from then on only binds
 * and runs it (planning the hot reads cost more than running them). The name is a hash of the text,
 * so the same text always has the same name and two texts never share one. For statements whose
 * text has a bounded number of shapes (a connection keeps every statement it has prepared).
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const statements = new Map<string, PreparedStatement>();

/** The named statement for this SQL text. */
export function prepared(text: string): PreparedStatement {
  let statement = statements.get(text);
  if (!statement) {
    statement = Object.freeze({ name: `fh_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text });
    statements.set(text, statement);
  }
  return statement;
}

/**
 * Runs a named statement through the caller's manager (and so its transaction). TypeORM hands the
 * query to pg's `client.query(config, values)` unchanged, and pg prepares a config with a name once
 * per connection.
 */
export function runPrepared<T>(manager: EntityManager, statement: PreparedStatement, params: unknown[]): Promise<T[]> {
  return manager.query(statement as unknown as string, params);
}
