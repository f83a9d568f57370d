import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errors } from '../../surfaces/api/schemas.js';
import { billingConfig } from './billing-config.js';
import { meterMonth } from './metering.js';
import { billingMonth, MONTH_PATTERN } from './month.js';

const money = { type: 'number', description: 'Cents of the configured currency.' } as const;

const storeBill = {
  type: 'object',
  properties: {
    storeId: { type: 'string' },
    measured: {
      type: 'object',
      description: 'Measured: counted from the telemetry store for the month.',
      properties: {
        carts: { type: 'integer' },
        cartDays: { type: 'integer' },
        cartMonths: { type: 'number' },
        messages: { type: 'integer' },
        storedBytes: { type: 'integer' },
      },
    },
    invoice: {
      type: 'object',
      description: 'Measured cart-months at the configured price per cart-month.',
      properties: {
        lines: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              item: { type: 'string' },
              quantity: { type: 'number' },
              unitPriceCents: { type: 'integer' },
              amountCents: { type: 'integer' },
            },
          },
        },
        totalCents: { type: 'integer' },
        currency: { type: 'string' },
      },
    },
    cloudCost: {
      type: 'object',
      description: 'Measured messages and bytes at the configured unit costs; an estimate.',
      properties: {
        messagesCents: money,
        storageCents: money,
        totalCents: money,
        perCartCents: { type: ['number', 'null'] },
        perCartMonthCents: { type: ['number', 'null'] },
      },
    },
  },
} as const;

/** Per-store metering for a month, for ops: what to invoice and what the fleet costs to run. */
export function registerBillingRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const config = billingConfig(deps.billing);
  app.get<{ Querystring: { month: string } }>(
    '/v1/billing',
    {
      onRequest: authenticate(deps),
      schema: {
        summary: 'Cart-months, messages and stored bytes per store for a month; invoice and cost',
        description:
          "`measured` figures are counted from the telemetry store (device time, UTC days): a cart counts by the fraction of the month's days it sent anything. `configured` holds the price and unit costs the invoice and cloud cost are computed with; they are settings, not measurements. A month in progress is month to date.",
        tags: ['operations', 'billing'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: { month: { type: 'string', pattern: MONTH_PATTERN } },
          required: ['month'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              month: { type: 'string' },
              from: { type: 'string' },
              to: { type: 'string' },
              days: { type: 'integer' },
              configured: {
                type: 'object',
                properties: {
                  pricePerCartMonthCents: { type: 'integer' },
                  currency: { type: 'string' },
                  perMillionMessagesCents: { type: 'number' },
                  perGbMonthCents: { type: 'number' },
                },
              },
              stores: { type: 'array', items: storeBill },
              totals: {
                type: 'object',
                properties: {
                  carts: { type: 'integer' },
                  cartMonths: { type: 'number' },
                  messages: { type: 'integer' },
                  storedBytes: { type: 'integer' },
                  invoiceCents: { type: 'integer' },
                  cloudCostCents: money,
                },
              },
            },
            required: ['month', 'configured', 'stores', 'totals'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const month = billingMonth(request.query.month);
      const usage = await deps.telemetry.usageBetween(month.from, month.to);
      return {
        month: month.month,
        from: new Date(month.from).toISOString(),
        to: new Date(month.to).toISOString(),
        days: month.days,
        configured: config,
        ...meterMonth(usage, month, config),
      };
    },
  );
}
