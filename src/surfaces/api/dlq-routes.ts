import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { authenticate, requireRole } from './auth.js';

/** The dead-letter store, for ops: what failed and why, and a replay that cannot duplicate. */
export function registerDlqRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  const security = [{ bearer: [] }];

  app.get<{ Querystring: { limit?: number } }>(
    '/v1/dead-letters',
    {
      onRequest,
      schema: {
        summary: 'Events the entity store would not take after bounded retries',
        tags: ['operations'],
        security,
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const letters = await deps.projectionLog.listDeadLetters(request.query.limit ?? 100);
      return {
        total: await deps.projectionLog.countDeadLetters(),
        deadLetters: letters.map((l) => ({
          id: l.id,
          deviceId: l.event.deviceId,
          type: l.event.type,
          counter: l.event.counter,
          seq: l.event.seq,
          error: l.error,
          attempts: l.attempts,
          firstFailedAt: new Date(l.firstFailedAt).toISOString(),
          lastFailedAt: new Date(l.lastFailedAt).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/v1/dead-letters/replay',
    {
      onRequest,
      schema: {
        summary: 'Re-apply every dead letter; those that apply leave the store',
        tags: ['operations'],
        security,
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      return deps.projector.replayDeadLetters();
    },
  );
}
