import { HttpStatus, Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { listenTo, matchIssuerIdentity, practitionerByEmail, practitionerById } from '@fh/persistence';
import type { ChannelListener, SignInPractitionerRow } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import { ApiError } from '../common/api-error.js';
import type { RequestContext, SignedInPractitioner } from './actor.js';
import type { VerifiedToken } from './token-verifier.service.js';

/** How long a practitioner found in the directory is remembered, at most (a safety net: changes are notified). */
const CACHE_MS = 60_000;
const CACHE_SIZE = 10_000;
/** What a sign-in depends on (the audited entity types of the directory's writes). */
const DIRECTORY_ENTITIES = new Set(['practitioner', 'team', 'area']);

/**
 * Maps a verified token to the practitioner the directory holds now: a shared-secret token by its
 * email; an issuer's token by (issuer, subject), matched by email the first time. Refuses (401/403)
 * what cannot be matched to an active practitioner.
 *
 * "Now" stays true with a cache: what was found is remembered for at most a minute, and forgotten
 * entirely whenever the directory changes — every change to practitioners, teams or identity links
 * notifies channel `directory` (a trigger, so whoever makes the change: another replica, an
 * operator in SQL), which this service LISTENs on; a directory change made through this process is
 * forgotten as soon as it commits, before its response is sent. While the LISTEN connection is down
 * nothing is remembered, so a deactivation always takes effect on the next request.
 */
@Injectable()
export class DirectoryLookup implements OnModuleInit, OnApplicationShutdown {
  private readonly known = new Map<string, { practitioner: SignInPractitionerRow; until: number }>();
  /** Bumped by every change seen: a lookup that started before one is not remembered. */
  private generation = 0;
  private listener: ChannelListener | null = null;

  constructor(
    private readonly dataSource: DataSource,
    audited: Audited,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    audited.onCommittedWrite((target) => {
      if (DIRECTORY_ENTITIES.has(target.entityType)) this.forget();
    });
  }

  /** How many directory changes this process has seen (they each emptied the cache). */
  get changesSeen(): number {
    return this.generation;
  }

  async onModuleInit(): Promise<void> {
    const forget = () => this.forget();
    this.listener = await listenTo(this.config.databaseUrl, 'directory', 'family-handover-directory-listener', {
      notify: forget,
      state: forget,
    });
  }

  private forget(): void {
    this.generation++;
    this.known.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }

  /** The practitioner a server-side session names, as the directory holds them now; refused (403) when inactive or gone. */
  async practitionerById(id: string): Promise<SignedInPractitioner> {
    return activeOnly(await practitionerById(this.dataSource.manager, id));
  }

  /** `ids` name the request in the audit event of a first sign-in's link. */
  async practitionerFor(
    token: VerifiedToken,
    ids: Pick<RequestContext, 'requestId' | 'clientRequestId'> = { requestId: null },
  ): Promise<SignedInPractitioner> {
    const key = token.identity ? `i:${token.identity.issuer}\n${token.identity.subject}` : `e:${token.email}`;
    const cached = this.known.get(key);
    if (cached && Date.now() < cached.until) return activeOnly(cached.practitioner);
    const generation = this.generation;
    const found = await this.lookUp(token, ids);
    if (found && this.listener?.listening && generation === this.generation) {
      if (this.known.size >= CACHE_SIZE) this.known.delete(this.known.keys().next().value!);
      this.known.set(key, { practitioner: found, until: Date.now() + CACHE_MS });
    }
    return activeOnly(found);
  }

  private async lookUp(
    token: VerifiedToken,
    ids: Pick<RequestContext, 'requestId' | 'clientRequestId'>,
  ): Promise<SignInPractitionerRow | null> {
    const manager = this.dataSource.manager;
    if (!token.identity) return practitionerByEmail(manager, token.email!);
    const match = await matchIssuerIdentity(
      manager,
      token.identity,
      token.email,
      ids.requestId,
      ids.clientRequestId ?? null,
    );
    switch (match.kind) {
      case 'matched':
      case 'inactive':
        return match.practitioner;
      case 'unknown':
        return null;
      case 'email_required':
        throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', ['token has no email claim']);
      case 'linked_elsewhere':
        throw ApiError.forbidden(
          'the practitioner with this email is already linked to another account at this identity provider',
        );
    }
  }
}

function activeOnly(practitioner: SignInPractitionerRow | null): SignedInPractitioner {
  if (!practitioner) throw ApiError.forbidden('practitioner is not in the directory');
  if (!practitioner.active) throw ApiError.forbidden('practitioner is not active');
  const { active: _active, ...actor } = practitioner;
  return actor;
}
