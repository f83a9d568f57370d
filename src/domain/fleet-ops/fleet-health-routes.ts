import type { FastifyInstance } from 'fastify';
import { STORE_ID_PATTERN } from '../../contract/index.js';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { badRequest, notFound, unavailable } from '../../surfaces/api/api-errors.js';
import { authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors, nullable } from '../../surfaces/api/schemas.js';
import { DEFAULT_WINDOW, MAX_TOP_ERRORS, WINDOW_PATTERN, windowMs } from './error-window.js';
import {
  DEFAULT_SEEN_WITHIN,
  MAX_FLEET_LIST,
  SEEN_WITHIN,
  fleetDiff,
  type SeenWithin,
} from './fleet-diff.js';

const fleetDevice = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    deviceClass: { type: 'string' },
    state: { type: 'string', enum: ['connected', 'recent', 'silent', 'never-seen'] },
    lastSeenAt: nullable('string'),
    registration: { type: ['string', 'null'], enum: ['provisioned', 'jit', null] },
    registeredAt: nullable('string'),
  },
  required: ['deviceId', 'deviceClass', 'state', 'lastSeenAt', 'registration', 'registeredAt'],
} as const;

const revokedDevice = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    deviceClass: { type: 'string' },
    revokedAt: nullable('string'),
    lastSeenAt: nullable('string'),
  },
  required: ['deviceId', 'deviceClass', 'revokedAt', 'lastSeenAt'],
} as const;

const errorDevice = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    storeId: nullable('string'),
    deviceClass: nullable('string'),
    rejects: { type: 'integer' },
    rejectsByReason: { type: 'object', additionalProperties: { type: 'integer' } },
    faults: { type: 'integer' },
    reboots: { type: 'integer' },
    total: { type: 'integer' },
  },
  required: [
    ...['deviceId', 'storeId', 'deviceClass', 'rejects', 'rejectsByReason'],
    ...['faults', 'reboots', 'total'],
  ],
} as const;

interface DiffQuery {
  seenWithin?: SeenWithin;
  limit?: number;
  devices?: boolean;
}

interface TopQuery {
  since?: string;
  limit?: number;
  store?: string;
}

/** Issue 18: a store's expected devices against the connected ones, and the fleet's noisiest devices. */
export function registerFleetHealthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  const security = [{ bearer: [] }];
  const now = () => (deps.now ?? (() => new Date()))().getTime();

  app.get<{ Params: { id: string }; Querystring: DiffQuery }>(
    '/v1/stores/:id/fleet-diff',
    {
      onRequest,
      schema: {
        summary: "A store's expected devices against the connected and recently seen ones",
        description:
          'Expected: every device of the store in the device registry (provisioned or registered just in time) and every device the platform knows for it, revoked ones excepted (listed apart). Each is in one state: connected now, recently seen (last seen within `seenWithin`, default 15m), silent (seen before, not since), or never seen; the four counts add up to `expected`. Lists are ordered by device id and cut at `limit` (`truncated` says so); `devices=true` adds every expected device with its state.',
        tags: ['stores'],
        security,
        params: {
          type: 'object',
          properties: { id: { type: 'string', pattern: STORE_ID_PATTERN } },
          required: ['id'],
        },
        querystring: {
          type: 'object',
          properties: {
            seenWithin: { type: 'string', enum: Object.keys(SEEN_WITHIN) },
            limit: { type: 'integer', minimum: 1, maximum: MAX_FLEET_LIST, default: 1000 },
            devices: { type: 'boolean', default: false },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              storeId: { type: 'string' },
              seenWithin: { type: 'string' },
              asOf: { type: 'string' },
              expected: { type: 'integer' },
              connected: { type: 'integer' },
              recentlySeen: { type: 'integer' },
              silentCount: { type: 'integer' },
              neverSeenCount: { type: 'integer' },
              revokedCount: { type: 'integer' },
              silent: { type: 'array', items: fleetDevice },
              neverSeen: { type: 'array', items: fleetDevice },
              revoked: { type: 'array', items: revokedDevice },
              truncated: { type: 'boolean' },
              devices: { type: 'array', items: fleetDevice },
            },
            required: [
              ...['storeId', 'seenWithin', 'asOf', 'expected', 'connected', 'recentlySeen'],
              ...['silentCount', 'neverSeenCount', 'revokedCount', 'silent', 'neverSeen'],
              ...['revoked', 'truncated'],
            ],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const storeId = request.params.id;
      requireRole(request, ['ops', 'staff'], storeId);
      if (!deps.registeredDevices) throw unavailable('this platform has no device registry');
      if (!(await deps.storeExists(storeId))) throw notFound(`no store ${storeId}`);
      const [registered, known] = await Promise.all([
        deps.registeredDevices(storeId),
        deps.entities.listStoreDevices(storeId),
      ]);
      return fleetDiff({
        storeId,
        registered,
        known,
        now: now(),
        seenWithin: request.query.seenWithin ?? DEFAULT_SEEN_WITHIN,
        limit: request.query.limit ?? 1000,
        withDevices: request.query.devices === true,
      });
    },
  );

  app.get<{ Querystring: TopQuery }>(
    '/v1/devices/top-errors',
    {
      onRequest,
      schema: {
        summary: 'The devices with the most rejects, faults and reboots in a window',
        description:
          'Per device: messages ingest refused (by reason; counted only for devices that authenticated, in whole hours from the hour that holds the window start), fault events, and unexpected reboots (a watchdog, panic or brownout reset, or a rollback), ranked by their total, then device id. `since` is a window up to a week back (`30m`, `24h`, `7d`; default 24h); `store` keeps one store.',
        tags: ['operations'],
        security,
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'string', pattern: WINDOW_PATTERN, default: DEFAULT_WINDOW },
            limit: { type: 'integer', minimum: 1, maximum: MAX_TOP_ERRORS, default: 20 },
            store: { type: 'string', pattern: STORE_ID_PATTERN },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              since: { type: 'string' },
              devices: { type: 'array', items: errorDevice },
            },
            required: ['since', 'devices'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const q = request.query;
      const window = windowMs(q.since ?? DEFAULT_WINDOW);
      if (window === undefined) throw badRequest('since goes back at most a week (7d)');
      if (q.store !== undefined && !(await deps.storeExists(q.store))) {
        throw notFound(`no store ${q.store}`);
      }
      const since = now() - window;
      const devices = await deps.entities.listTopErrorDevices({
        since,
        limit: q.limit ?? 20,
        ...(q.store !== undefined ? { storeId: q.store } : {}),
      });
      return { since: new Date(since).toISOString(), devices };
    },
  );
}
