import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { badRequest, notFound } from '../api/api-errors.js';
import { authenticate, requireRole } from '../api/auth.js';
import { errors, nullable } from '../api/schemas.js';
import {
  DEVICE_ID_PATTERN,
  isDeviceId,
  SEMVER_PATTERN,
  STORE_ID_PATTERN,
} from '../contract/index.js';
import { cartJson, cartView } from '../staff/cart-schemas.js';
import { cartTrail, decodeTrailKey, encodeTrailKey } from './audit-trail.js';
import { BATTERY_HEALTH, batteryHealth } from './battery-health.js';
import { registerStoreRoutes } from './store-routes.js';

const MAX_PAGE = 500;
const CURSOR = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' } as const;

interface CartsQuery {
  store?: string;
  region?: string;
  firmware?: string;
  battery_below?: number;
  limit?: number;
  after?: string;
}

const trailEntry = {
  type: 'object',
  properties: {
    at: { type: 'string' },
    source: { type: 'string', enum: ['audit', 'fault', 'command-response'] },
    ref: { type: 'integer', description: 'Audit seq, or the device counter of the event.' },
    actor: {
      type: ['object', 'null'],
      properties: { role: { type: 'string' }, subject: { type: 'string' } },
    },
    action: { type: 'string' },
    purpose: nullable('string'),
    detail: { type: 'object', additionalProperties: true },
  },
  required: ['at', 'source', 'ref', 'action', 'detail'],
} as const;

/** The ops console's fleet view: every cart of every store, and one cart's trail. */
export function registerFleetOpsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);

  app.get<{ Querystring: CartsQuery }>(
    '/v1/carts',
    {
      onRequest,
      schema: {
        summary:
          'Every cart of the fleet with store, region, firmware and battery, a page at a time',
        description:
          "Ordered by device id; pass a page's `next` as `after` for the following page (null on the last). `batteryHealth` is derived from the last report: charging, else critical below 10 %, low below 20 %, good otherwise; unknown before a report.",
        tags: ['operations'],
        security,
        querystring: {
          type: 'object',
          properties: {
            store: { type: 'string', pattern: STORE_ID_PATTERN },
            region: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
            firmware: { type: 'string', pattern: SEMVER_PATTERN },
            battery_below: { type: 'number', minimum: 0, maximum: 100 },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 100 },
            after: CURSOR,
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              carts: {
                type: 'array',
                items: {
                  ...cartView,
                  properties: {
                    ...cartView.properties,
                    batteryHealth: { type: 'string', enum: [...BATTERY_HEALTH] },
                  },
                },
              },
              next: nullable('string'),
            },
            required: ['carts', 'next'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const q = request.query;
      const after = q.after === undefined ? undefined : decodeCartCursor(q.after);
      const page = await deps.entities.listCarts({
        limit: q.limit ?? 100,
        ...(q.store !== undefined ? { storeId: q.store } : {}),
        ...(q.region !== undefined ? { region: q.region } : {}),
        ...(q.firmware !== undefined ? { firmware: q.firmware } : {}),
        ...(q.battery_below !== undefined ? { batteryBelow: q.battery_below } : {}),
        ...(after !== undefined ? { after } : {}),
      });
      return {
        carts: page.carts.map((c) => ({ ...cartJson(c), batteryHealth: batteryHealth(c) })),
        next: page.next === null ? null : Buffer.from(page.next, 'utf8').toString('base64url'),
      };
    },
  );

  app.get<{ Params: { device: string }; Querystring: { limit?: number; after?: string } }>(
    '/v1/carts/:device/audit',
    {
      onRequest,
      schema: {
        summary:
          "A cart's trail: audit records (staff overrides…) with its faults and command responses",
        description:
          "Newest first (audit records before device events of the same millisecond). Device events are placed by the cart's clock, audit records by the platform's. Pass `next` as `after` for the following page.",
        tags: ['operations'],
        security,
        params: {
          type: 'object',
          properties: { device: { type: 'string', pattern: DEVICE_ID_PATTERN } },
          required: ['device'],
        },
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 },
            after: CURSOR,
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              deviceId: { type: 'string' },
              auditConfigured: {
                type: 'boolean',
                description: 'False: no audit log is configured, so only device events are listed.',
              },
              entries: { type: 'array', items: trailEntry },
              next: nullable('string'),
            },
            required: ['deviceId', 'auditConfigured', 'entries', 'next'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const deviceId = request.params.device;
      let after;
      if (request.query.after !== undefined) {
        after = decodeTrailKey(request.query.after);
        if (!after) throw badRequest('after must be the next cursor of a previous page');
      }
      if (!(await deps.entities.getDevice(deviceId))) throw notFound(`no device ${deviceId}`);
      const trail = await cartTrail({ audit: deps.audit, telemetry: deps.telemetry }, deviceId, {
        limit: request.query.limit ?? 50,
        ...(after ? { after } : {}),
      });
      return {
        deviceId,
        auditConfigured: deps.audit !== undefined,
        entries: trail.entries,
        next: trail.next ? encodeTrailKey(trail.next) : null,
      };
    },
  );

  registerStoreRoutes(app, deps);
}

function decodeCartCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isDeviceId(id)) throw badRequest('after must be the next cursor of a previous page');
  return id;
}
