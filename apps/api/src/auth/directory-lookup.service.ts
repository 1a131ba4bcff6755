import { HttpStatus, Injectable } from '@nestjs/common';
import { matchIssuerIdentity, practitionerByEmail } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error.js';
import type { RequestContext, SignedInPractitioner } from './actor.js';
import type { VerifiedToken } from './token-verifier.service.js';

/**
 * Maps a verified token to the practitioner the directory holds now: a shared-secret token by its
 * email; an issuer's token by (issuer, subject), matched by email the first time. Refuses (401/403)
 * what cannot be matched to an active practitioner.
 */
@Injectable()
export class DirectoryLookup {
  constructor(private readonly dataSource: DataSource) {}

  /** `ids` name the request in the audit event of a first sign-in's link. */
  async practitionerFor(
    token: VerifiedToken,
    ids: Pick<RequestContext, 'requestId' | 'clientRequestId'> = { requestId: null },
  ): Promise<SignedInPractitioner> {
    const manager = this.dataSource.manager;
    if (!token.identity) return activeOnly(await practitionerByEmail(manager, token.email!));
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
        return activeOnly(match.practitioner);
      case 'unknown':
        return activeOnly(null);
      case 'email_required':
        throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', ['token has no email claim']);
      case 'linked_elsewhere':
        throw ApiError.forbidden(
          'the practitioner with this email is already linked to another account at this identity provider',
        );
    }
  }
}

function activeOnly(practitioner: (SignedInPractitioner & { active: boolean }) | null): SignedInPractitioner {
  if (!practitioner) throw ApiError.forbidden('practitioner is not in the directory');
  if (!practitioner.active) throw ApiError.forbidden('practitioner is not active');
  const { active: _active, ...actor } = practitioner;
  return actor;
}
