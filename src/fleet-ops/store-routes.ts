import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { forbidden, unavailable } from '../api/api-errors.js';
import { authenticate, requireRole } from '../api/auth.js';
import { errorBody, errors, nullable } from '../api/schemas.js';
import { SEMVER_PATTERN, STORE_ID_PATTERN } from '../contract/index.js';
import { BATTERY_HEALTH, batteryHealth, type BatteryHealth } from './battery-health.js';
import { fleetCarts, fleetSummary } from './fleet-summary.js';

const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const REGION = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } as const;

interface SummaryQuery {
  region?: string;
  store?: string;
  firmware?: string;
  battery_health?: BatteryHealth;
}

/** The stores a console user works with, and the fleet in numbers for the ops console. */
export function registerStoreRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  const security = [{ bearer: [] }];

  app.get(
    '/v1/stores',
    {
      onRequest,
      schema: {
        summary: 'The stores: every store for ops, their own store for staff',
        description: 'Ordered by id; `carts` counts the carts the platform knows in each store.',
        tags: ['stores'],
        security,
        response: {
          200: {
            type: 'object',
            properties: {
              stores: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    storeId: { type: 'string' },
                    name: { type: 'string' },
                    region: nullable('string'),
                    timezone: nullable('string'),
                    carts: { type: 'integer' },
                  },
                  required: ['storeId', 'name', 'region', 'timezone', 'carts'],
                },
              },
            },
            required: ['stores'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const principal = requireRole(request, ['ops', 'staff']);
      if (!deps.listStores) throw unavailable('this platform has no store registry');
      const only = principal.role === 'staff' ? principal.store : undefined;
      if (principal.role === 'staff' && only === undefined) {
        throw forbidden('this staff token names no store');
      }
      const stores = (await deps.listStores()).filter(
        (s) => only === undefined || s.storeId === only,
      );
      const carts = new Map<string, number>();
      for (const cart of await fleetCarts(deps.entities, only ? { storeId: only } : {})) {
        carts.set(cart.storeId, (carts.get(cart.storeId) ?? 0) + 1);
      }
      return {
        stores: [...stores]
          .sort((a, b) => a.storeId.localeCompare(b.storeId))
          .map((s) => ({ ...s, carts: carts.get(s.storeId) ?? 0 })),
      };
    },
  );

  app.get<{ Querystring: SummaryQuery }>(
    '/v1/fleet/summary',
    {
      onRequest,
      schema: {
        summary: 'The fleet in numbers: carts by state, firmware, battery health, store and region',
        description:
          'Filters narrow the carts counted. Battery health as in GET /v1/carts: charging, else critical below 10 %, low below 20 %, good otherwise; unknown before a report. Maintenance counts carts out of service (a staff flag, or the cart reports maintenance mode).',
        tags: ['operations'],
        security,
        querystring: {
          type: 'object',
          properties: {
            region: REGION,
            store: { type: 'string', pattern: STORE_ID_PATTERN },
            firmware: { type: 'string', pattern: SEMVER_PATTERN },
            battery_health: { type: 'string', enum: [...BATTERY_HEALTH] },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              carts: { type: 'integer' },
              connected: { type: 'integer' },
              byState: counts,
              byFirmware: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { version: nullable('string'), carts: { type: 'integer' } },
                  required: ['version', 'carts'],
                },
              },
              byBatteryHealth: counts,
              maintenance: { type: 'integer' },
              byStore: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    storeId: { type: 'string' },
                    region: nullable('string'),
                    carts: { type: 'integer' },
                    connected: { type: 'integer' },
                    byState: counts,
                  },
                  required: ['storeId', 'region', 'carts', 'connected', 'byState'],
                },
              },
              byRegion: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    region: nullable('string'),
                    carts: { type: 'integer' },
                    connected: { type: 'integer' },
                  },
                  required: ['region', 'carts', 'connected'],
                },
              },
            },
            required: [
              'carts',
              'connected',
              'byState',
              'byFirmware',
              'byBatteryHealth',
              'maintenance',
              'byStore',
              'byRegion',
            ],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const q = request.query;
      const carts = await fleetCarts(deps.entities, {
        ...(q.store !== undefined ? { storeId: q.store } : {}),
        ...(q.region !== undefined ? { region: q.region } : {}),
        ...(q.firmware !== undefined ? { firmware: q.firmware } : {}),
      });
      const health = q.battery_health;
      return fleetSummary(health ? carts.filter((c) => batteryHealth(c) === health) : carts);
    },
  );
}
