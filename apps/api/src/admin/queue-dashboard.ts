import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@fh/config';
import { bullConnectionOptions } from '@fh/observability';
import { ALL_QUEUES } from '@fh/queues';
import { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DirectoryLookup } from '../auth/directory-lookup.service.js';
import { TokenVerifier } from '../auth/token-verifier.service.js';
import { AdminSessions } from './admin-sessions.js';
import { toErrorBody } from '../common/error-response.js';
import { ApiError } from '../common/api-error.js';

export const DASHBOARD_PATH = '/admin/queues';
/** The bearer token from the Authorization header, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return (typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim())?.[1] : null) ?? null;
}

/**
 * bull-board at /admin/queues, for admins only, behind the same sign-in as the API (a bearer token,
 * or the server-side session /admin/login starts from one). Read-only: the API does not write to Redis.
 */
export async function registerQueueDashboard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const verifier = app.get(TokenVerifier);
  const directory = app.get(DirectoryLookup);
  const sessions = app.get(AdminSessions);
  const connection = {
    ...bullConnectionOptions(config.redisUrl),
    enableOfflineQueue: false,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  };
  const queues = ALL_QUEUES.map((name) => new Queue(name, { connection, prefix: config.queuePrefix }));
  for (const queue of queues) queue.on('error', () => undefined);

  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Family Handover queues' } },
  });

  // The check lives inside the plugin that serves the dashboard, so it runs for every route the
  // router matched there, however the path was spelt (percent-encoding included).
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const refuse = (error: ApiError) => {
          const wantsPage = (request.headers.accept ?? '').includes('text/html');
          if (wantsPage && error.getStatus() === 401) return reply.redirect('/admin/login', 303);
          const body = toErrorBody(error);
          return reply.status(body.statusCode).header('Cache-Control', 'no-store').send(body);
        };
        const token = bearerToken(request);
        let practitioner: { role: string } | null = null;
        try {
          if (token) practitioner = await directory.practitionerFor(await verifier.verify(token));
          else {
            const practitionerId = await sessions.practitionerIdOf(request);
            if (!practitionerId) return refuse(new ApiError(401, 'UNAUTHENTICATED', ['sign in as an admin first']));
            practitioner = await directory.practitionerById(practitionerId);
          }
        } catch (error) {
          if (!(error instanceof ApiError) || error.getStatus() === 401)
            return refuse(new ApiError(401, 'UNAUTHENTICATED', ['token is not valid']));
        }
        if (practitioner?.role !== 'admin') return refuse(ApiError.forbidden('only admins may see the queues'));
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
  fastify.addHook('onClose', async () => {
    // close() asks Redis to QUIT; a connection that is reconnecting at that moment (Redis away)
    // cannot send it and would keep reconnecting for ever, so every connection is then cut.
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    await Promise.all(queues.map((queue) => queue.disconnect().catch(() => undefined)));
  });
}
