import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { unavailable } from './api-errors.js';
import { authenticate, requireRole } from './auth.js';

/**
 * The ingest queue's dead letters (decision 055): messages the store side failed on too often,
 * and a replay that moves them back into the queue (the telemetry store's dedup keeps a message
 * that was stored after all from being stored twice). The shape of `/v1/dead-letters`.
 */
export function registerQueueDeadLetterRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  const security = [{ bearer: [] }];
  const queue = () => {
    if (!deps.ingestQueue) throw unavailable('this platform runs without an ingest queue');
    return deps.ingestQueue;
  };

  app.get<{ Querystring: { limit?: number } }>(
    '/v1/ingest-queue/dead-letters',
    {
      onRequest,
      schema: {
        summary: 'Device messages the store side failed on after bounded deliveries',
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
      const { kind, deadLetters } = queue();
      const letters = await deadLetters.list(request.query.limit ?? 100);
      return {
        queue: kind,
        total: await deadLetters.count(),
        deadLetters: letters.map((l) => ({
          id: l.id,
          deviceId: l.message.deviceId,
          topic: l.message.topic,
          counter: l.message.counter,
          error: l.error,
          deliveries: l.deliveries,
          receivedAt: new Date(l.message.receivedAt).toISOString(),
          failedAt: new Date(l.failedAt).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/v1/ingest-queue/dead-letters/replay',
    {
      onRequest,
      schema: {
        summary: 'Move every ingest dead letter back into the queue; nothing is stored twice',
        tags: ['operations'],
        security,
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      return queue().deadLetters.replay();
    },
  );
}
