/**
 * Every PostgreSQL advisory-lock key the service (and its tests) takes, in one place so that no two
 * uses collide. 7_304_118_xxx is this project's range.
 */
export const ADVISORY_LOCKS = {
  /** Applying migrations: any number of replicas (and the CLI) may start at once. */
  migrations: 7_304_118_112,
  /** Creating the first admin (BOOTSTRAP_ADMIN_EMAIL) when there is none. */
  bootstrapAdmin: 7_304_118_113,
  /** Tests: building this run's migrated template database once (test/support/database.ts). */
  testTemplate: 7_304_118_199,
} as const;
