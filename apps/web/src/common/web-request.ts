import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSessionRow } from '@fh/persistence/web-sessions.repository.js';

/** The console's view of the signed-in practitioner, from the directory (never from the token's claims). */
export interface Practitioner {
  id: string;
  name: string;
  /** Only the signed-in practitioner's own (the API shows non-admins no one else's address). */
  email?: string;
  role: 'practitioner' | 'manager' | 'safeguarding_lead' | 'admin';
  teamId: string | null;
}

/** What the console attaches to each request: the CSP nonce and the session (if any). */
export interface WebState {
  nonce: string;
  session: { idHash: Buffer; row: WebSessionRow } | null;
  practitioner: Practitioner | null;
}

export type WebRequest = FastifyRequest & { web: WebState };
export type WebReply = FastifyReply;

export const SESSION_COOKIE = 'fh_session';

/** Only same-site relative paths are ever followed after sign-in: "/x", never "//host" or "/\\host" or a scheme. */
export function safeReturnPath(path: string | undefined | null): string {
  if (!path || typeof path !== 'string') return '/';
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || path.length > 500) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\\]/.test(path)) return '/';
  try {
    const resolved = new URL(path, 'http://console.invalid');
    if (resolved.host !== 'console.invalid') return '/';
    return resolved.pathname + resolved.search + resolved.hash;
  } catch {
    return '/';
  }
}
