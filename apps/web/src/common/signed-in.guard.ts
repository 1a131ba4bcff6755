import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiClient, SignInRequired } from '../api/api-client.service.js';
import type { WebRequest } from './web-request.js';

export const PUBLIC_PAGE = 'fh-web:public';
/** No sign-in needed (sign-in itself, signed-out, health). */
export const PublicPage = () => SetMetadata(PUBLIC_PAGE, true);

/** Every page needs a signed-in practitioner, as the directory knows them now; otherwise sign in first. */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly api: ApiClient,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_PAGE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<WebRequest>();
    const id = request.web.session?.row.practitionerId;
    if (!id) throw new SignInRequired();
    const practitioner = (await this.api.practitioners(request)).find((p) => p.id === id);
    if (!practitioner) throw new ForbiddenException('not in the directory');
    request.web.practitioner = practitioner;
    return true;
  }
}
