import type { FastifyInstance } from 'fastify';
import { STORE_ID_PATTERN } from '../contract/index.js';
import {
  ALERT_KINDS,
  ALERT_STATES,
  type AlertKind,
  type AlertState,
} from '../entities/entity-store.js';
import { alertView } from './alert-schemas.js';
import { registerAlertActionRoutes } from './alert-action-routes.js';
import type { ApiDeps } from './api-deps.js';
import { notFound } from './api-errors.js';
import { decodeAlertCursor, encodeAlertCursor } from './alert-cursor.js';
import { authenticate, requireRole } from './auth.js';
import { errors } from './schemas.js';

const MAX_PAGE = 500;

interface AlertsQuery {
  since?: string;
  kind?: AlertKind;
  state?: AlertState;
  limit?: number;
  after?: string;
}

/** Loss-prevention alerts for the store's staff and for ops. */
export function registerLossPreventionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { id: string }; Querystring: AlertsQuery }>(
    '/v1/stores/:id/loss-prevention',
    {
      onRequest: authenticate(deps),
      schema: {
        summary: "A store's loss-prevention alerts, newest first, a page at a time",
        description:
          "exit-without-pay: a cart left with items and no authorised payment (an abandoned session, or the cart's own fault). weight-mismatch: a scan whose weight did not match the item. Each alert has a state (open, acknowledged, resolved; `state` filters by it) with who changed it and when. `since` is inclusive on the time the cart saw it. Pass a page's `next` as `after` for the following page; `next` is null on the last page.",
        tags: ['stores', 'loss-prevention'],
        security: [{ bearer: [] }],
        params: {
          type: 'object',
          properties: { id: { type: 'string', pattern: STORE_ID_PATTERN } },
          required: ['id'],
        },
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'string', format: 'date-time' },
            kind: { type: 'string', enum: [...ALERT_KINDS] },
            state: { type: 'string', enum: [...ALERT_STATES] },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 },
            after: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              alerts: { type: 'array', items: alertView },
              next: { type: ['string', 'null'] },
            },
            required: ['alerts', 'next'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const storeId = request.params.id;
      requireRole(request, ['ops', 'staff'], storeId);
      const { since, kind, state, limit, after } = request.query;
      const key = after === undefined ? undefined : decodeAlertCursor(after);
      if (!(await deps.storeExists(storeId))) throw notFound(`no store ${storeId}`);
      const page = await deps.entities.listStoreAlerts(storeId, {
        limit: limit ?? 50,
        ...(since !== undefined ? { since: Date.parse(since) } : {}),
        ...(kind !== undefined ? { kind } : {}),
        ...(state !== undefined ? { state } : {}),
        ...(key ? { after: key } : {}),
      });
      return { alerts: page.alerts, next: page.next ? encodeAlertCursor(page.next) : null };
    },
  );
  registerAlertActionRoutes(app, deps);
}
