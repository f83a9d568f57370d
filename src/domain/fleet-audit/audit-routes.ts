import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { unavailable } from '../../surfaces/api/api-errors.js';
import { authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors, nullable } from '../../surfaces/api/schemas.js';
import { AUDIT_CHECKS, DEFAULT_AUDIT_OPTIONS } from './fleet-audit.js';

const finding = {
  type: 'object',
  properties: {
    check: { type: 'string', enum: AUDIT_CHECKS },
    severity: { type: 'string', enum: ['action', 'notice'] },
    subject: { type: 'string' },
    storeId: nullable('string'),
    detail: { type: 'string' },
    devices: { type: 'array', items: { type: 'string' } },
  },
  required: ['check', 'severity', 'subject', 'storeId', 'detail'],
} as const;

const report = {
  type: 'object',
  properties: {
    asOf: { type: 'string' },
    options: {
      type: 'object',
      properties: {
        expiringWithinDays: { type: 'integer' },
        neverConnectedAfterHours: { type: 'integer' },
        spikeRefusals: { type: 'integer' },
      },
      required: ['expiringWithinDays', 'neverConnectedAfterHours', 'spikeRefusals'],
    },
    devicesAudited: { type: 'integer' },
    refusalsSince: {
      type: 'string',
      description: 'Refusals are counted in memory since the platform started.',
    },
    needsAction: { type: 'boolean' },
    counts: {
      type: 'object',
      properties: Object.fromEntries(AUDIT_CHECKS.map((c) => [c, { type: 'integer' }])),
      required: [...AUDIT_CHECKS],
    },
    findings: { type: 'array', items: finding },
  },
  required: [
    ...['asOf', 'options', 'devicesAudited', 'refusalsSince'],
    ...['needsAction', 'counts', 'findings'],
  ],
} as const;

const integer = (minimum: number, maximum: number, description: string) =>
  ({ type: 'integer', minimum, maximum, description }) as const;

/** The fleet security audit (decision 047): ops only. */
export function registerAuditRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: Record<string, number | undefined> }>(
    '/v1/audit',
    {
      onRequest: authenticate(deps),
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        summary:
          'Audit the fleet’s identities: expiring or shared certificates, silent and revoked devices still trying, auth-failure spikes, CA generations still trusted',
        querystring: {
          type: 'object',
          properties: {
            expiringWithinDays: integer(
              1,
              3650,
              `default ${DEFAULT_AUDIT_OPTIONS.expiringWithinDays}`,
            ),
            neverConnectedAfterHours: integer(
              0,
              24 * 365,
              `default ${DEFAULT_AUDIT_OPTIONS.neverConnectedAfterHours}`,
            ),
            spikeRefusals: integer(1, 1_000_000, `default ${DEFAULT_AUDIT_OPTIONS.spikeRefusals}`),
          },
          additionalProperties: false,
        },
        response: { 200: report, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      if (!deps.fleetAudit) throw unavailable('this platform runs no fleet audit');
      const q = request.query;
      return deps.fleetAudit({
        ...(q.expiringWithinDays !== undefined ? { expiringWithinDays: q.expiringWithinDays } : {}),
        ...(q.neverConnectedAfterHours !== undefined
          ? { neverConnectedAfterHours: q.neverConnectedAfterHours }
          : {}),
        ...(q.spikeRefusals !== undefined ? { spikeRefusals: q.spikeRefusals } : {}),
      });
    },
  );
}
