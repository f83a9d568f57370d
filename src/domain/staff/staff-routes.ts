import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { authenticate } from '../../surfaces/api/auth.js';
import { errors } from '../../surfaces/api/schemas.js';
import { cartJson, cartView, storeParams } from './cart-schemas.js';
import { fleetStatus } from './fleet-status.js';
import { registerStaffActionRoutes } from './staff-action-routes.js';
import { storeAccess, storeCarts } from './store-carts.js';

const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const;

/**
 * The staff tablet: the store's carts and their state, and the overrides staff may make. Staff
 * tokens are bound to one store and get 403 on any other; ops may use every store's.
 */
export function registerStaffRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);

  app.get<{ Params: { store: string } }>(
    '/v1/stores/:store/carts',
    {
      onRequest,
      schema: {
        summary: "The cart locator: every cart of the store, where it is and how it's doing",
        tags: ['staff'],
        security,
        params: storeParams,
        response: {
          200: {
            type: 'object',
            properties: {
              storeId: { type: 'string' },
              carts: { type: 'array', items: cartView },
            },
            required: ['storeId', 'carts'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const storeId = request.params.store;
      await storeAccess(deps, request, storeId);
      return { storeId, carts: (await storeCarts(deps, storeId)).map(cartJson) };
    },
  );

  app.get<{ Params: { store: string } }>(
    '/v1/stores/:store/fleet-status',
    {
      onRequest,
      schema: {
        summary: "The store's carts in numbers: state, connection, battery, firmware, signal",
        description:
          'Battery buckets: below 20 %, 20 to 50 % inclusive, above 50 %. Weak signal: last RSSI below -80 dBm. Maintenance counts staff flags by reason, and carts that report maintenance mode with no staff flag as reported-by-cart.',
        tags: ['staff'],
        security,
        params: storeParams,
        response: {
          200: {
            type: 'object',
            properties: {
              storeId: { type: 'string' },
              carts: { type: 'integer' },
              byState: counts,
              connected: { type: 'integer' },
              battery: counts,
              firmware: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    version: { type: ['string', 'null'] },
                    carts: { type: 'integer' },
                  },
                },
              },
              weakSignal: { type: 'integer' },
              maintenance: {
                type: 'object',
                properties: { total: { type: 'integer' }, byReason: counts },
              },
            },
            required: ['storeId', 'carts'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const storeId = request.params.store;
      await storeAccess(deps, request, storeId);
      return fleetStatus(storeId, await storeCarts(deps, storeId));
    },
  );

  registerStaffActionRoutes(app, deps);
}
