import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errors } from '../../surfaces/api/schemas.js';
import { accessSummary, chainState, ACCESS_WINDOW_DAYS } from './compliance-report.js';

const provided = {
  type: 'object',
  properties: {
    source: { type: 'string', enum: ['provider', 'none'] },
    note: { type: 'string' },
  },
  additionalProperties: true,
} as const;

/**
 * The compliance report: who accessed personal data and why (from the audit log, with the chain
 * verified), open data-subject requests and data residency. The last two come from providers the
 * privacy and residency services plug in; until they do, the report says so instead of guessing.
 */
export function registerComplianceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/v1/compliance',
    {
      onRequest: authenticate(deps),
      schema: {
        summary: 'PII access by action and purpose, audit chain check, open DSARs, residency',
        description: `Access: audit records of the last ${ACCESS_WINDOW_DAYS} days. Chain: AuditLog.verify() over the whole log, with the head hash. For ops and privacy.`,
        tags: ['operations', 'privacy'],
        security: [{ bearer: [] }],
        response: {
          200: {
            type: 'object',
            properties: {
              generatedAt: { type: 'string' },
              piiAccess: { type: 'object', additionalProperties: true },
              auditChain: { type: 'object', additionalProperties: true },
              dataSubjectRequests: {
                ...provided,
                properties: { ...provided.properties, open: { type: 'array' } },
              },
              residency: { ...provided, properties: { ...provided.properties, report: {} } },
            },
            required: [
              'generatedAt',
              'piiAccess',
              'auditChain',
              'dataSubjectRequests',
              'residency',
            ],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops', 'privacy']);
      const now = deps.now ? deps.now().getTime() : Date.now();
      const audit = deps.audit;
      const none = (what: string) => ({
        source: 'none',
        note: `no ${what} provider is configured`,
      });
      return {
        generatedAt: new Date(now).toISOString(),
        piiAccess: audit
          ? { configured: true, ...(await accessSummary(audit, now)) }
          : { configured: false, note: 'no audit log is configured' },
        auditChain: audit
          ? { configured: true, ...(await chainState(audit)) }
          : { configured: false, note: 'no audit log is configured' },
        dataSubjectRequests: deps.dsarOpen
          ? { source: 'provider', open: await deps.dsarOpen() }
          : { ...none('data-subject request'), open: [] },
        residency: deps.residency
          ? { source: 'provider', report: await deps.residency() }
          : { ...none('residency'), report: null },
      };
    },
  );
}
