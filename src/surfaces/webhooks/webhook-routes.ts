import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { ApiError, badRequest, notFound, unavailable } from '../api/api-errors.js';
import { actorLabel, authenticate, requireFresh, requireRole } from '../api/auth.js';
import { errorBody, errors, nullable } from '../api/schemas.js';
import {
  DELIVERY_STATES,
  type DeliveryState,
} from '../../stores/entities/webhooks/webhook-records.js';
import type { WebhookService } from './webhook-service.js';

const KIND_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

const webhookProperties = {
  id: { type: 'string' },
  url: { type: 'string' },
  events: {
    type: 'array',
    items: { type: 'string' },
    description: 'Event kinds delivered; empty: every kind.',
  },
  enabled: { type: 'boolean' },
  createdAt: { type: 'string' },
  createdBy: { type: 'string' },
} as const;
const webhookRequired = ['id', 'url', 'events', 'enabled', 'createdAt', 'createdBy'];
const webhookJson = { type: 'object', properties: webhookProperties, required: webhookRequired };

const deliveryJson = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'Sent as Fleetplane-Delivery: receivers dedupe on it.' },
    webhookId: { type: 'string' },
    eventId: { type: 'string' },
    eventKind: { type: 'string' },
    eventAt: { type: 'string' },
    payload: { type: 'object', additionalProperties: true },
    state: { type: 'string', enum: [...DELIVERY_STATES] },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'string' },
    lastStatus: nullable('integer'),
    lastError: nullable('string'),
    createdAt: { type: 'string' },
    deliveredAt: nullable('string'),
  },
  required: [
    ...['id', 'webhookId', 'eventId', 'eventKind', 'eventAt', 'payload', 'state', 'attempts'],
    ...['nextAttemptAt', 'lastStatus', 'lastError', 'createdAt', 'deliveredAt'],
  ],
} as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;

/**
 * Webhooks for alarms (issue 18), ops only: add (the secret is shown once), list, remove, the
 * delivery log, and a ping that checks a receiver end to end.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const tags = ['webhooks'];

  function service(request: FastifyRequest): WebhookService {
    requireRole(request, ['ops']);
    if (!deps.webhooks) throw unavailable('this platform delivers no webhooks');
    return deps.webhooks;
  }

  app.post<{ Body: { url: string; events?: string[] } }>(
    '/v1/webhooks',
    {
      onRequest,
      schema: {
        summary: 'Add a webhook; its signing secret is in this answer only',
        description:
          'Deliveries are POSTed as JSON `{id, kind, at, …}` with `Fleetplane-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with the secret, `Fleetplane-Delivery` (the same on every retry of one delivery) and `Fleetplane-Event`. A 2xx within 10 s is delivered; anything else, a redirect included, is retried with backoff (10 s doubling, up to an hour) for 10 attempts. The URL must be https, or http to a loopback host.',
        tags,
        security,
        body: {
          type: 'object',
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2048 },
            events: {
              type: 'array',
              items: { type: 'string', pattern: KIND_PATTERN },
              maxItems: 32,
              uniqueItems: true,
              description: 'Event kinds to deliver (e.g. alarm.firing); absent or empty: all.',
            },
          },
          required: ['url'],
          additionalProperties: false,
        },
        response: {
          201: {
            type: 'object',
            properties: {
              ...webhookProperties,
              secret: { type: 'string', description: 'whsec_…: shown once, never listed.' },
            },
            required: [...webhookRequired, 'secret'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      const webhooks = service(request);
      // A new destination for alarm data: a console session confirms with its passkey first.
      requireFresh(request, deps.now?.());
      const result = await webhooks.add({
        url: request.body.url,
        events: request.body.events ?? [],
        by: actorLabel(request.principal!),
      });
      if ('refused' in result) throw badRequest(result.refused);
      return reply.status(201).send({ ...result.added, secret: result.secret });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      onRequest,
      schema: {
        summary: 'Webhooks, oldest first (without their secrets)',
        tags,
        security,
        response: {
          200: {
            type: 'object',
            properties: { webhooks: { type: 'array', items: webhookJson } },
            required: ['webhooks'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => ({ webhooks: await service(request).list() }),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/webhooks/:id',
    {
      onRequest,
      schema: {
        summary: 'Remove a webhook, its secret and its delivery log',
        tags,
        security,
        params: idParams,
        response: { 204: { type: 'null' }, ...errors, 503: errorBody },
      },
    },
    async (request, reply) => {
      if (!(await service(request).remove(request.params.id))) {
        throw notFound(`no webhook ${request.params.id}`);
      }
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { id: string }; Querystring: { state?: DeliveryState; limit?: number } }>(
    '/v1/webhooks/:id/deliveries',
    {
      onRequest,
      schema: {
        summary: 'A webhook’s delivery log, newest first',
        tags,
        security,
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', enum: [...DELIVERY_STATES] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { deliveries: { type: 'array', items: deliveryJson } },
            required: ['deliveries'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const webhooks = service(request);
      const { id } = request.params;
      if (!(await webhooks.get(id))) throw notFound(`no webhook ${id}`);
      const { limit = 50, state } = request.query;
      return { deliveries: await webhooks.deliveries(id, limit, state) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/webhooks/:id/ping',
    {
      onRequest,
      schema: {
        summary: 'Send a ping event to this webhook only',
        description:
          'Enqueues a `ping` event (whatever the webhook’s filter) and answers at once; follow it in the delivery log.',
        tags,
        security,
        params: idParams,
        response: {
          202: {
            type: 'object',
            properties: { deliveryId: { type: 'string' } },
            required: ['deliveryId'],
          },
          ...errors,
          409: errorBody,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      const webhooks = service(request);
      const { id } = request.params;
      if (!(await webhooks.get(id))) throw notFound(`no webhook ${id}`);
      const deliveryId = await webhooks.ping(id, actorLabel(request.principal!));
      if (deliveryId === undefined)
        throw new ApiError(409, 'conflict', `webhook ${id} is disabled`);
      return reply.status(202).send({ deliveryId });
    },
  );
}
