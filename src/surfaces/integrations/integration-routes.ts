import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { badRequest, notFound, unavailable } from '../api/api-errors.js';
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
  },
  required: ['id', 'cursor', 'lag', 'failing', 'consecutiveFailures', 'lastError'],
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
        params: {
          type: 'object',
          properties: { id: { type: 'string', maxLength: 64 } },
          required: ['id'],
        },
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          additionalProperties: false,
        },
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
}
