import type { DataSource } from 'typeorm';

/** What a console session holds (web_sessions): tokens, the practitioner id, and the sign-in in progress. Never family data. */
export interface WebSessionRow {
  csrfToken: string;
  practitionerId: string | null;
  accessToken: string | null;
  accessTokenExpiresAt: Date | null;
  refreshToken: string | null;
  idToken: string | null;
  /** While signing in: PKCE verifier, state, nonce and the same-site path to return to. */
  signIn: { returnTo: string; codeVerifier?: string; state?: string; nonce?: string } | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

const COLUMNS = `csrf_token AS "csrfToken", practitioner_id AS "practitionerId", access_token AS "accessToken",
  access_token_expires_at AS "accessTokenExpiresAt", refresh_token AS "refreshToken", id_token AS "idToken",
  sign_in AS "signIn", created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt"`;

/** Whose sessions a repository serves: the console's (apps/web) or the queue dashboard's (/admin). */
export type WebSessionAudience = 'console' | 'admin';

/**
 * Server-side sessions in PostgreSQL, keyed by the SHA-256 of the cookie value: the console's, and
 * the queue dashboard's. A repository sees only the rows of its `audience`, so a session of one
 * cannot be used at the other.
 */
export class WebSessionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audience: WebSessionAudience = 'console',
  ) {}

  /** A new session; `practitionerId` when it starts signed in (the dashboard's, made from a verified token). */
  async create(
    idHash: Buffer,
    csrfToken: string,
    expiresAt: Date,
    signIn: WebSessionRow['signIn'],
    practitionerId: string | null = null,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO web_sessions (id_hash, csrf_token, expires_at, sign_in, practitioner_id, audience) VALUES ($1, $2, $3, $4, $5, $6)`,
      [idHash, csrfToken, expiresAt, signIn ? JSON.stringify(signIn) : null, practitionerId, this.audience],
    );
  }

  /** The live session (not idle for longer than `idleSeconds`, not past its absolute end), touched; or null. */
  async touch(idHash: Buffer, idleSeconds: number): Promise<WebSessionRow | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [WebSessionRow[], number] = await this.dataSource.query(
      `UPDATE web_sessions SET last_seen_at = now()
        WHERE id_hash = $1 AND audience = $3 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2)
        RETURNING ${COLUMNS}`,
      [idHash, idleSeconds, this.audience],
    );
    return rows[0] ?? null;
  }

  async signedIn(
    idHash: Buffer,
    values: {
      practitionerId: string;
      accessToken: string;
      accessTokenExpiresAt: Date;
      refreshToken: string | null;
      idToken: string | null;
    },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE web_sessions SET practitioner_id = $2, access_token = $3, access_token_expires_at = $4, refresh_token = $5, id_token = $6, sign_in = NULL
        WHERE id_hash = $1 AND audience = $7`,
      [
        idHash,
        values.practitionerId,
        values.accessToken,
        values.accessTokenExpiresAt,
        values.refreshToken,
        values.idToken,
        this.audience,
      ],
    );
  }

  async refreshed(
    idHash: Buffer,
    accessToken: string,
    accessTokenExpiresAt: Date,
    refreshToken: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE web_sessions SET access_token = $2, access_token_expires_at = $3, refresh_token = COALESCE($4, refresh_token) WHERE id_hash = $1 AND audience = $5`,
      [idHash, accessToken, accessTokenExpiresAt, refreshToken, this.audience],
    );
  }

  async delete(idHash: Buffer): Promise<void> {
    await this.dataSource.query(`DELETE FROM web_sessions WHERE id_hash = $1 AND audience = $2`, [
      idHash,
      this.audience,
    ]);
  }

  /** Removes sessions (of every audience) that can no longer be used; returns how many. */
  async purge(idleSeconds: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM web_sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)`,
      [idleSeconds],
    );
    return result[1];
  }
}
