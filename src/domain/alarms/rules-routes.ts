import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { badRequest, unavailable } from '../../surfaces/api/api-errors.js';
import { authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors } from '../../surfaces/api/schemas.js';
import { replayRules } from './rule-replay.js';
import { describe } from './rule-set-file.js';
import { checkRuleSet } from './rule-set-check.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The longest window a test may read: a week of a fleet's telemetry is already a long read. */
const MAX_WINDOW_MS = 8 * UNIT_MS.d;

const transition = {
  type: 'object',
  properties: {
    change: { type: 'string', enum: ['fire', 'clear'] },
    ruleId: { type: 'string' },
    severity: { type: 'string' },
    deviceId: { type: 'string' },
    storeId: { type: 'string' },
    at: { type: 'string', description: 'Device time of the message that crossed.' },
    counter: { type: 'integer' },
    values: { type: 'object', additionalProperties: true },
  },
  required: ['change', 'ruleId', 'severity', 'deviceId', 'storeId', 'at', 'counter', 'values'],
} as const;

/** POST /v1/rules/test: what a rule set would have fired on in stored telemetry (decision 035). */
export function registerRulesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: { ruleSet: unknown; since: string } }>(
    '/v1/rules/test',
    {
      onRequest: authenticate(deps),
      schema: {
        summary: 'Replay a rule set over stored telemetry, changing nothing',
        description:
          'Runs the rule set (the document `fleetplane rules test --rules F` reads) over the telemetry stored in the window, store by store in device-time order, with the evaluator the live path uses: every firing and clearing, and per rule how often. Nothing is stored and no alarm is raised.',
        tags: ['operations'],
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          properties: {
            ruleSet: { type: 'object', description: 'A rule set: {profile, rules: [...]}.' },
            since: {
              type: 'string',
              pattern: '^[1-9][0-9]{0,3}[mhd]$',
              description: 'How far back: 30m, 24h, 7d (at most 8d).',
            },
          },
          required: ['ruleSet', 'since'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              messagesJudged: { type: 'integer' },
              firingAtEnd: { type: 'integer' },
              counts: {
                type: 'object',
                additionalProperties: {
                  type: 'object',
                  properties: { fired: { type: 'integer' }, cleared: { type: 'integer' } },
                  required: ['fired', 'cleared'],
                },
              },
              transitions: { type: 'array', items: transition },
            },
            required: ['from', 'to', 'messagesJudged', 'firingAtEnd', 'counts', 'transitions'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const checked = checkRuleSet(request.body.ruleSet);
      if (!checked.ok) throw badRequest(`ruleSet.${describe(checked.problem)}`);
      const windowMs = sinceMs(request.body.since);
      if (windowMs > MAX_WINDOW_MS) throw badRequest('since: at most 8d');
      if (!deps.listStores) throw unavailable('this platform has no store registry');
      const to = (deps.now ?? (() => new Date()))().getTime();
      const from = to - windowMs;
      const stores = await deps.listStores();
      const replay = await replayRules({
        telemetry: deps.telemetry,
        storeIds: stores.map((s) => s.storeId),
        ruleSet: checked.ruleSet,
        from,
        to,
      });
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        messagesJudged: replay.messagesJudged,
        firingAtEnd: replay.firingAtEnd,
        counts: replay.counts,
        transitions: replay.transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
      };
    },
  );
}

function sinceMs(since: string): number {
  const unit = since.slice(-1) as keyof typeof UNIT_MS;
  return Number(since.slice(0, -1)) * UNIT_MS[unit];
}
