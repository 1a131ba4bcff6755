import { Inject, Injectable } from '@nestjs/common';
import { OidcService } from '../auth/oidc.service.js';
import type { Practitioner, WebRequest } from '../common/web-request.js';
import { SessionService } from '../session/session.service.js';
import { WEB_CONFIG } from '../web-config.token.js';
import type { WebConfig } from '../web-config.js';

/** The API refused: its status and its error body ({ statusCode, code, message[], reasons? }). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: { code?: string; message?: string | string[]; reasons?: { code: string; message: string }[] } | null,
  ) {
    super(`API answered ${status}${body?.code ? ` ${body.code}` : ''}`);
    this.name = 'ApiFailure';
  }

  get messages(): string[] {
    const message = this.body?.message;
    return Array.isArray(message) ? message : message ? [message] : [];
  }
}

/** The practitioner must sign in (again): no session, or the issuer no longer honours it. */
export class SignInRequired extends Error {
  constructor() {
    super('sign-in required');
    this.name = 'SignInRequired';
  }
}

const REFRESH_MARGIN_MS = 30_000;

/**
 * The console's one way to reach the API: server-side fetch to API_URL with the signed-in
 * practitioner's own access token (refreshed when it is about to expire), so every rule, refusal
 * and audit event stays in the API and names the practitioner.
 */
@Injectable()
export class ApiClient {
  private readonly directory = new Map<string, { at: number; practitioners: Practitioner[] }>();

  constructor(
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
    private readonly sessions: SessionService,
    private readonly oidc: OidcService,
  ) {}

  get<T>(request: WebRequest, path: string): Promise<T> {
    return this.call<T>(request, 'GET', path);
  }

  post<T>(request: WebRequest, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.call<T>(request, 'POST', path, body, headers);
  }

  patch<T>(request: WebRequest, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.call<T>(request, 'PATCH', path, body, headers);
  }

  /** A non-JSON answer (the packet PDF), streamed through as the API sent it. */
  async raw(request: WebRequest, path: string): Promise<Response> {
    const response = await this.fetch(request, 'GET', path);
    if (!response.ok)
      throw new ApiFailure(response.status, (await response.json().catch(() => null)) as ApiFailure['body']);
    return response;
  }

  /** Every practitioner in the directory (names, roles, teams: no family data), kept for a minute per signed-in person. */
  async practitioners(request: WebRequest, accessToken?: string): Promise<Practitioner[]> {
    // At sign-in (an access token, no session yet) the directory is read fresh and never cached: what
    // the API returns depends on who asks (each person sees only their own email address), so a
    // directory shared under one key would hide the next person's address from their own sign-in.
    if (accessToken)
      return this.decode<Practitioner[]>(
        await fetch(`${this.config.apiUrl}/v1/practitioners`, { headers: { authorization: `Bearer ${accessToken}` } }),
      );
    const key = request.web.session?.row.practitionerId;
    if (!key) return this.get<Practitioner[]>(request, '/v1/practitioners');
    const cached = this.directory.get(key);
    if (cached && Date.now() - cached.at < 60_000) return cached.practitioners;
    const practitioners = await this.get<Practitioner[]>(request, '/v1/practitioners');
    if (this.directory.size > 1000) this.directory.clear();
    this.directory.set(key, { at: Date.now(), practitioners });
    return practitioners;
  }

  private async call<T>(
    request: WebRequest,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.decode<T>(await this.fetch(request, method, path, body, headers));
  }

  private async decode<T>(response: Response): Promise<T> {
    if (response.status === 401) throw new SignInRequired();
    const json = (await response.json().catch(() => null)) as ApiFailure['body'];
    if (!response.ok) throw new ApiFailure(response.status, json);
    return json as T;
  }

  private async fetch(
    request: WebRequest,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const token = await this.accessToken(request);
    const response = await fetch(`${this.config.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'x-request-id': request.id,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) throw new SignInRequired();
    return response;
  }

  private async accessToken(request: WebRequest): Promise<string> {
    const session = request.web.session;
    const row = session?.row;
    if (!session || !row?.accessToken || !row.practitionerId) throw new SignInRequired();
    const expiresAt = row.accessTokenExpiresAt ? new Date(row.accessTokenExpiresAt).getTime() : 0;
    if (expiresAt - Date.now() > REFRESH_MARGIN_MS) return row.accessToken;
    if (!row.refreshToken) throw new SignInRequired();
    const tokens = await this.oidc.refresh(row.refreshToken).catch(() => null);
    if (!tokens) throw new SignInRequired();
    await this.sessions.refreshed(session.idHash, tokens.accessToken, tokens.accessTokenExpiresAt, tokens.refreshToken);
    row.accessToken = tokens.accessToken;
    row.accessTokenExpiresAt = tokens.accessTokenExpiresAt;
    if (tokens.refreshToken) row.refreshToken = tokens.refreshToken;
    return tokens.accessToken;
  }
}
