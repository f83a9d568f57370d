import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { unavailable } from '../../surfaces/api/api-errors.js';
import { authenticate, requireFresh, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors } from '../../surfaces/api/schemas.js';
import type { RetentionControl } from './retention-control.js';
import { RETENTION_POLICY } from './retention-policy.js';

const reportJson = {
  type: 'object',
  description:
    'One line per kind of data: what, how many, what happens to it, the rule and cutoff.',
  properties: {
    now: { type: 'string' },
    applied: { type: 'boolean' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          rule: { type: 'string' },
          what: { type: 'string' },
          count: { type: 'integer' },
          action: { type: 'string' },
          cutoff: { type: 'string' },
          why: { type: 'string' },
        },
        required: ['rule', 'what', 'count', 'action', 'cutoff', 'why'],
      },
    },
  },
  required: ['now', 'applied', 'lines'],
} as const;

/**
 * Retention on the running platform (decision 063): the policy and how the daily job last went,
 * a plan at the platform's own clock, and a run on request, so an operator need not stop the
 * platform to see or apply it. Reading is for ops and privacy; running is ops, with a fresh
 * passkey assertion on a console session (it deletes, for good, what the policy says is due).
 */
export function registerRetentionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = authenticate(deps);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const tags = ['operations', 'privacy'];
  const control = (request: FastifyRequest, roles: ('ops' | 'privacy')[]): RetentionControl => {
    requireRole(request, roles);
    const retention = deps.retention?.();
    if (!retention) throw unavailable('retention starts once the platform has opened its stores');
    return retention;
  };

  app.get(
    '/v1/retention',
    {
      onRequest,
      schema: {
        summary: 'The retention policy, and how the daily retention job last went',
        description:
          '`last` is the last run, kept across restarts (null before the first, a minute after the first start); `nextRunAfter` the earliest the hourly check runs it again (null after a failed run: the next check tries again).',
        tags,
        security,
        response: {
          200: {
            type: 'object',
            properties: {
              policy: { type: 'array', items: { type: 'object', additionalProperties: true } },
              last: {
                anyOf: [
                  { type: 'null' },
                  {
                    type: 'object',
                    properties: {
                      at: { type: 'string' },
                      outcome: { type: 'string', enum: ['ok', 'failed'] },
                      report: reportJson,
                      error: { type: 'string' },
                    },
                    required: ['at', 'outcome'],
                  },
                ],
              },
              nextRunAfter: { type: ['string', 'null'] },
            },
            required: ['policy', 'last', 'nextRunAfter'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    (request) => {
      const { last, nextRunAfter } = control(request, ['ops', 'privacy']).status();
      const policy = RETENTION_POLICY.map(({ says: _says, ...tier }) => tier);
      return Promise.resolve({ policy, last, nextRunAfter });
    },
  );

  app.get(
    '/v1/retention/plan',
    {
      onRequest,
      schema: {
        summary: 'What retention would delete or aggregate now, and why, changing nothing',
        description:
          'At the platform’s clock. Counts come from each store (a scan of the telemetry table on large fleets: seconds).',
        tags,
        security,
        response: { 200: reportJson, ...errors, 503: errorBody },
      },
    },
    (request) => control(request, ['ops', 'privacy']).plan(),
  );

  app.post(
    '/v1/retention/run',
    {
      onRequest,
      schema: {
        summary: 'Apply retention now instead of at the next daily check',
        description:
          'Folds old telemetry into daily aggregates and deletes what is past its time, as the daily job does, at the platform’s clock; it counts as the day’s run. Waits for a run in progress first.',
        tags,
        security,
        response: { 200: reportJson, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const retention = control(request, ['ops']);
      requireFresh(request, deps.now?.());
      try {
        return await retention.runNow();
      } catch (error) {
        throw unavailable(`retention failed and changed what it had done so far: ${String(error)}`);
      }
    },
  );
}
