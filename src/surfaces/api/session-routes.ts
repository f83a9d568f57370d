import type { FastifyInstance, FastifyRequest } from 'fastify';
import { STORE_ID_PATTERN } from '../../contract/index.js';
import {
  SESSION_STATUSES,
  type SessionStatus,
  type SessionView,
} from '../../stores/entities/entity-store.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, notFound } from './api-errors.js';
import { authenticate, requireRole } from './auth.js';
import { errors } from './schemas.js';
import { decodeCursor, encodeCursor } from './session-cursor.js';
import { scanView, sessionParams, sessionView } from './session-schemas.js';

const MAX_PAGE = 500;

interface StoreSessionsQuery {
  since?: string;
  until?: string;
  status?: SessionStatus;
  limit?: number;
  after?: string;
}

/** Shopping sessions for ops (any store) and staff (their own store). */
export function registerSessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);

  async function visibleSession(id: string, request: FastifyRequest): Promise<SessionView> {
    requireRole(request, ['ops', 'staff']);
    const session = await deps.entities.getSession(id);
    if (!session) throw notFound(`no session ${id}`);
    requireRole(request, ['ops', 'staff'], session.storeId);
    return session;
  }

  app.get<{ Params: { id: string } }>(
    '/v1/sessions/:id',
    {
      onRequest,
      schema: {
        summary: 'A shopping session: status, totals, payment, and the battery-swap merge',
        tags: ['sessions'],
        security,
        params: sessionParams,
        response: { 200: sessionView, ...errors },
      },
    },
    (request) => visibleSession(request.params.id.toLowerCase(), request),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/sessions/:id/scans',
    {
      onRequest,
      schema: {
        summary: "A session's scans in the cart's order",
        tags: ['sessions'],
        security,
        params: sessionParams,
        response: {
          200: {
            type: 'object',
            properties: { scans: { type: 'array', items: scanView } },
            required: ['scans'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const session = await visibleSession(request.params.id.toLowerCase(), request);
      return { scans: await deps.entities.listSessionScans(session.sessionId) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: StoreSessionsQuery }>(
    '/v1/stores/:id/sessions',
    {
      onRequest,
      schema: {
        summary: "A store's sessions, newest start first, a page at a time",
        description:
          "Newest start first; ties by session id, descending. `since` is inclusive and `until` exclusive, both on the start time. Pass a page's `next` as `after` to get the following page; `next` is null on the last page. Paging is by key, so no session is repeated or skipped; one that starts while you page appears on a new first page.",
        tags: ['stores', 'sessions'],
        security,
        params: {
          type: 'object',
          properties: { id: { type: 'string', pattern: STORE_ID_PATTERN } },
          required: ['id'],
        },
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'string', format: 'date-time' },
            until: { type: 'string', format: 'date-time' },
            status: { type: 'string', enum: [...SESSION_STATUSES] },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 },
            after: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              sessions: { type: 'array', items: sessionView },
              next: { type: ['string', 'null'] },
            },
            required: ['sessions', 'next'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const storeId = request.params.id;
      requireRole(request, ['ops', 'staff'], storeId);
      const { since, until, status, limit, after } = request.query;
      const from = since === undefined ? undefined : Date.parse(since);
      const to = until === undefined ? undefined : Date.parse(until);
      if (from !== undefined && to !== undefined && to <= from) {
        throw new ApiError(400, 'bad-request', 'until must be later than since');
      }
      const key = after === undefined ? undefined : decodeCursor(after);
      if (!(await deps.storeExists(storeId))) throw notFound(`no store ${storeId}`);
      const page = await deps.entities.listStoreSessions(storeId, {
        limit: limit ?? 50,
        ...(from !== undefined ? { since: from } : {}),
        ...(to !== undefined ? { until: to } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(key ? { after: key } : {}),
      });
      return { sessions: page.sessions, next: page.next ? encodeCursor(page.next) : null };
    },
  );
}
