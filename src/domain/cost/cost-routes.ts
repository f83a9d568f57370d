import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errors } from '../../surfaces/api/schemas.js';
import { costTable, MAX_CARTS } from './cost-model.js';
import { loadPriceFile } from './price-file.js';
import type { PriceList } from './price-list.js';

const usd = { type: 'number', description: 'US dollars, unrounded.' } as const;

const deployment = {
  type: 'object',
  properties: {
    deployment: { type: 'string', enum: ['self-hosted', 'aws'] },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          item: { type: 'string' },
          usage: { type: 'string', description: "The whole fleet's use in a month." },
          unitPrice: { type: 'string' },
          perMonthUsd: usd,
          perCartMonthUsd: usd,
          fixed: { type: 'boolean', description: 'Does not grow with the fleet.' },
        },
        required: ['item', 'usage', 'unitPrice', 'perMonthUsd', 'perCartMonthUsd', 'fixed'],
      },
    },
    perMonthUsd: usd,
    perCartMonthUsd: usd,
  },
  required: ['deployment', 'lines', 'perMonthUsd', 'perCartMonthUsd'],
} as const;

const usage = {
  type: 'object',
  description: 'One cart a month, derived from the benchmarks and the PRD (decision 061).',
  properties: {
    ...Object.fromEntries(
      [
        'daysPerMonth',
        'messagesPerDay',
        'messagesPerMonth',
        'storedBytesPerMonth',
        'heldBytes',
        'heldMessages',
        'connectedMinutesPerMonth',
        'cpuSecondsPerMessageAtPeak',
        'cpuSecondsPerMonth',
        'cpuSecondsPerMonthSaturated',
        'peakCoresPerCart',
      ].map((k) => [k, { type: 'number' }]),
    ),
    messagesPerDayByType: {
      type: 'object',
      properties: Object.fromEntries(
        ['session-start', 'scan', 'health', 'session-end'].map((k) => [k, { type: 'number' }]),
      ),
    },
  },
} as const;

/**
 * GET /v1/billing/cost?carts=N, for ops: the cost model's table (decision 061), the same one
 * `fleetplane cost` prints. The dated price file is read once, on the first request.
 */
export function registerCostRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  prices: () => Promise<PriceList> = once(() => loadPriceFile()),
): void {
  app.get<{ Querystring: { carts: number } }>(
    '/v1/billing/cost',
    {
      onRequest: authenticate(deps),
      schema: {
        summary: 'Cloud cost per cart-month for N carts, self-hosted and on AWS, beside the seed',
        description:
          'Modelled, not metered: usage per cart from the benchmarks and the PRD, priced from the dated price list (`data/prices/`). Fixed costs are shared over `carts`; the self-hosted VM is sized for their peak. The seed is the PRD’s own spreadsheet at its own scale.',
        tags: ['operations', 'billing'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: { carts: { type: 'integer', minimum: 1, maximum: MAX_CARTS } },
          required: ['carts'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              carts: { type: 'integer' },
              prices: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  asOf: { type: 'string' },
                  region: { type: 'string' },
                },
              },
              usage,
              deployments: { type: 'array', items: deployment },
              seed: {
                type: 'object',
                properties: {
                  scaleCarts: { type: 'integer' },
                  perCartMonthUsd: usd,
                  cloudPerCartMonthUsd: usd,
                  items: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        item: { type: 'string' },
                        usdPerCartMonth: usd,
                        cloud: { type: 'boolean' },
                      },
                    },
                  },
                },
              },
            },
            required: ['carts', 'prices', 'usage', 'deployments', 'seed'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      return costTable(request.query.carts, await prices());
    },
  );
}

/** The first call's promise, kept; a failed load is forgotten so the next request retries. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
