import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { ApiError, badRequest, notFound, unavailable } from '../api/api-errors.js';
import { authenticate, requireFresh, requireRole } from '../api/auth.js';
import { errorBody, errors, nullable } from '../api/schemas.js';
import type { IntegrationService } from './integration-service.js';

const integrationJson = {
  type: 'object',
  description:
    '{id, match: {deviceClass?, type?}, sink: {kind: webhook, url, secret?, headers?} | {kind: jetstream, url, subject}, enabled}. A secret is never listed.',
  additionalProperties: true,
} as const;

const statusJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    cursor: {
      type: 'integer',
      description: 'The last feed position this integration is done with.',
    },
    lag: { type: 'integer', description: 'Feed head − cursor.' },
    failing: { type: 'boolean' },
    consecutiveFailures: { type: 'integer' },
    lastError: nullable('string'),
    delivered: { type: 'integer' },
    failed: { type: 'integer' },
    deadLetters: {
      type: 'integer',
      description: 'Events parked because the receiver refused their content.',
    },
  },
  required: ['id', 'cursor', 'lag', 'failing', 'consecutiveFailures', 'lastError', 'deadLetters'],
} as const;

const listJson = {
  type: 'object',
  properties: {
    integrations: { type: 'array', items: integrationJson },
    status: { type: 'array', items: statusJson },
  },
  required: ['integrations', 'status'],
} as const;

const attemptJson = {
  type: 'object',
  properties: {
    at: { type: 'string' },
    deliveryId: { type: 'string', description: '<device>:<counter>, the idempotency id.' },
    seq: { type: 'integer' },
    outcome: { type: 'string', enum: ['delivered', 'failed'] },
    status: nullable('integer'),
    latencyMs: { type: 'integer' },
    error: nullable('string'),
  },
  required: ['at', 'deliveryId', 'seq', 'outcome', 'status', 'latencyMs', 'error'],
} as const;

const deadLetterJson = {
  type: 'object',
  properties: {
    seq: { type: 'integer', description: 'The event’s position in the telemetry feed.' },
    deliveryId: { type: 'string', description: '<device>:<counter>, the idempotency id.' },
    at: { type: 'string', description: 'When it was parked, or last redelivered.' },
    status: nullable('integer'),
    error: { type: 'string' },
    refusals: { type: 'integer' },
  },
  required: ['seq', 'deliveryId', 'at', 'status', 'error', 'refusals'],
} as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;

const limitQuery = (maximum: number, fallback: number) =>
  ({
    type: 'object',
    properties: { limit: { type: 'integer', minimum: 1, maximum, default: fallback } },
    additionalProperties: false,
  }) as const;

const letterParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, seq: { type: 'integer', minimum: 1 } },
  required: ['id', 'seq'],
} as const;

/** Integrations (decision 058), ops only: the document as a whole, its status, delivery logs. */
export function registerIntegrationRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const tags = ['integrations'];

  function service(request: FastifyRequest): IntegrationService {
    requireRole(request, ['ops']);
    if (!deps.integrations) throw unavailable('this platform runs no integrations');
    return deps.integrations;
  }

  app.get(
    '/v1/integrations',
    {
      onRequest,
      schema: {
        summary: 'The integrations document, and how each integration stands',
        tags,
        security,
        response: { 200: listJson, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const integrations = service(request);
      return { ...integrations.document(), status: await integrations.status() };
    },
  );

  app.put<{ Body: unknown }>(
    '/v1/integrations',
    {
      onRequest,
      schema: {
        summary: 'Replace the integrations document',
        description:
          'Checked as a whole; a refusal names the path (`integrations[0].sink.subject: …`). A new integration delivers what is stored from now on; one whose id stays keeps its position; a webhook sent without `secret` keeps the one its id had. Each matching event is delivered in feed order, at least once, with `<device>:<counter>` as `Fleetplane-Delivery` (webhook) or `Nats-Msg-Id` (JetStream).',
        tags,
        security,
        body: { type: 'object' },
        response: { 200: listJson, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const integrations = service(request);
      // A new destination for fleet data: a console session confirms with its passkey first.
      requireFresh(request, deps.now?.());
      const result = await integrations.replace(request.body);
      if ('refused' in result) throw badRequest(result.refused);
      return { ...result.document, status: await integrations.status() };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/v1/integrations/:id/deliveries',
    {
      onRequest,
      schema: {
        summary: 'An integration’s last delivery attempts, newest first',
        tags,
        security,
        params: idParams,
        querystring: limitQuery(200, 50),
        response: {
          200: {
            type: 'object',
            properties: { deliveries: { type: 'array', items: attemptJson } },
            required: ['deliveries'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    (request) => {
      const integrations = service(request);
      const { id } = request.params;
      if (!integrations.has(id)) throw notFound(`no integration ${id}`);
      const deliveries = integrations.deliveries(id, request.query.limit ?? 50);
      return Promise.resolve({
        deliveries: deliveries.map((d) => ({ ...d, at: new Date(d.at).toISOString() })),
      });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/v1/integrations/:id/dead-letters',
    {
      onRequest,
      schema: {
        summary: 'Events an integration parked because its receiver refused their content',
        description:
          'Only with `onRefused: dead-letter`: an event a webhook receiver answered 400, 413, 415 or 422 three times in a row. Newest first. The list names events; their content stays in the telemetry store.',
        tags,
        security,
        params: idParams,
        querystring: limitQuery(1000, 100),
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              deadLetters: { type: 'array', items: deadLetterJson },
            },
            required: ['total', 'deadLetters'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    (request) => {
      const integrations = service(request);
      const { id } = request.params;
      if (!integrations.has(id)) throw notFound(`no integration ${id}`);
      const letters = integrations.deadLetters(id, request.query.limit ?? 100);
      return Promise.resolve({
        total: integrations.deadLetterCount(id),
        deadLetters: letters.map((l) => ({ ...l, at: new Date(l.at).toISOString() })),
      });
    },
  );

  app.post<{ Params: { id: string; seq: number } }>(
    '/v1/integrations/:id/dead-letters/:seq/redeliver',
    {
      onRequest,
      schema: {
        summary: 'Send a parked event once more, out of the feed’s order',
        description:
          'Read again from the telemetry store and sent once, with its original idempotency id. Delivered, it leaves the list (`outcome: delivered`); refused, it stays with the new answer (`outcome: failed`). 410 `event-gone` when retention or an erasure removed the event since.',
        tags,
        security,
        params: letterParams,
        response: {
          200: {
            type: 'object',
            properties: {
              outcome: { type: 'string', enum: ['delivered', 'failed'] },
              status: nullable('integer'),
              error: { type: 'string' },
            },
            required: ['outcome', 'status'],
          },
          ...errors,
          410: errorBody,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const integrations = service(request);
      const { id, seq } = request.params;
      const result = await integrations.redeliver(id, seq);
      if (!result) throw notFound(`integration ${id} has no parked event ${seq}`);
      if (result.outcome === 'gone') {
        throw new ApiError(
          410,
          'event-gone',
          `event ${seq} is no longer stored (retention or an erasure); discard it`,
        );
      }
      return result;
    },
  );

  app.delete<{ Params: { id: string; seq: number } }>(
    '/v1/integrations/:id/dead-letters/:seq',
    {
      onRequest,
      schema: {
        summary: 'Drop a parked event for good (its receiver will never have it)',
        tags,
        security,
        params: letterParams,
        response: { 204: { type: 'null' }, ...errors, 503: errorBody },
      },
    },
    async (request, reply) => {
      const integrations = service(request);
      const { id, seq } = request.params;
      if (!integrations.discard(id, seq)) {
        throw notFound(`integration ${id} has no parked event ${seq}`);
      }
      return reply.code(204).send();
    },
  );
}
