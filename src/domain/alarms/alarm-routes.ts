import type { FastifyInstance } from 'fastify';
import { DEVICE_CLASSES } from '../../contract/ids.js';
import { ALARM_STATES, type AlarmState } from '../../stores/entities/alarms/alarm-records.js';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { ApiError, badRequest, notFound, unavailable } from '../../surfaces/api/api-errors.js';
import { actorLabel, authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors, nullable } from '../../surfaces/api/schemas.js';
import { describe } from './rule-set-file.js';

const alarm = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    key: { type: 'string', description: 'Rule and subject: at most one open alarm per key.' },
    ruleId: { type: 'string' },
    severity: { type: 'string', enum: ['critical', 'warning', 'info'] },
    storeId: { type: 'string' },
    deviceId: nullable('string'),
    state: { type: 'string', enum: ALARM_STATES },
    firstAt: { type: 'string' },
    lastAt: { type: 'string' },
    seen: { type: 'integer' },
    reading: { type: 'object', additionalProperties: true },
    acknowledgedBy: nullable('string'),
    acknowledgedAt: nullable('string'),
    resolvedBy: nullable('string'),
    resolvedAt: nullable('string'),
  },
  required: ['id', 'key', 'ruleId', 'severity', 'storeId', 'deviceId', 'state', 'firstAt'],
} as const;

const activeRuleSet = {
  type: 'object',
  properties: {
    profile: { type: 'string', enum: DEVICE_CLASSES },
    source: { type: 'string', enum: ['stored', 'default'] },
    version: { type: 'integer', description: '0 for the defaults.' },
    updatedAt: nullable('string'),
    updatedBy: nullable('string'),
    ruleSet: { type: 'object', additionalProperties: true },
  },
  required: ['profile', 'source', 'version', 'updatedAt', 'updatedBy', 'ruleSet'],
} as const;

function service(deps: ApiDeps): NonNullable<ApiDeps['alarms']> {
  if (!deps.alarms) throw unavailable('this platform keeps no alarms');
  return deps.alarms;
}

const common = { tags: ['alarms'], security: [{ bearer: [] }] };

/** Rule sets and the alarms they raise (decision 035): ops only. */
export function registerAlarmRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/v1/rules',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: "Each device profile's rule set as it is in force",
        response: {
          200: {
            type: 'object',
            properties: { ruleSets: { type: 'array', items: activeRuleSet } },
            required: ['ruleSets'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      return { ruleSets: service(deps).ruleSets() };
    },
  );

  app.put<{ Params: { profile: string }; Body: unknown }>(
    '/v1/rules/:profile',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: "Replace a profile's rule set; the next message is judged by it",
        description:
          'The body is a rule set ({profile, rules}), as `fleetplane rules test` reads it, or the fleet rules ({profile: fleet, rejectRate, authFailures, fleetDiff, deadLetters, rolloutHalted}; a section left out is switched off). It is checked as a whole (schema, fields against the message schemas) and refused with the path of the first problem; accepted, it is stored as the next version and in force without a restart.',
        params: {
          type: 'object',
          properties: { profile: { type: 'string', enum: [...DEVICE_CLASSES, 'fleet'] } },
          required: ['profile'],
        },
        body: { type: 'object' },
        response: { 200: activeRuleSet, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const principal = requireRole(request, ['ops']);
      const body = request.body as { profile?: unknown };
      if (body.profile !== request.params.profile) {
        throw badRequest(
          `profile: the body is for ${String(body.profile)}, the path for ${request.params.profile}`,
        );
      }
      const result = await service(deps).putRuleSet(body, actorLabel(principal));
      if (!result.ok) throw badRequest(describe(result.problem));
      return result.active;
    },
  );

  app.get<{ Querystring: { state?: AlarmState; store?: string; limit?: number } }>(
    '/v1/alarms',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Alarms, the most recently seen first',
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', enum: ALARM_STATES },
            store: { type: 'string', maxLength: 64 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { alarms: { type: 'array', items: alarm } },
            required: ['alarms'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      if (!deps.alarms) throw unavailable('this platform keeps no alarms');
      const { state, store, limit } = request.query;
      const alarms = await deps.entities.listAlarms({
        ...(state ? { state } : {}),
        ...(store ? { storeId: store } : {}),
        limit: limit ?? 50,
      });
      return { alarms };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/alarms/:id',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'One alarm and its history',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              alarm,
              history: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    at: { type: 'string' },
                    change: { type: 'string', enum: ['fired', 'acknowledged', 'resolved'] },
                    by: { type: 'string' },
                    reading: { type: ['object', 'null'], additionalProperties: true },
                  },
                  required: ['at', 'change', 'by', 'reading'],
                },
              },
            },
            required: ['alarm', 'history'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      if (!deps.alarms) throw unavailable('this platform keeps no alarms');
      const found = await deps.entities.getAlarm(request.params.id);
      if (!found) throw notFound(`no alarm ${request.params.id}`);
      return found;
    },
  );

  for (const [word, to] of [
    ['acknowledge', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/v1/alarms/:id/${word}`,
      {
        onRequest: authenticate(deps),
        schema: {
          ...common,
          summary:
            word === 'acknowledge' ? 'Acknowledge an alarm: someone is on it' : 'Resolve an alarm',
          params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          response: { 200: alarm, ...errors, 409: errorBody, 503: errorBody },
        },
      },
      async (request) => {
        const principal = requireRole(request, ['ops']);
        const result = await service(deps).transition(request.params.id, to, actorLabel(principal));
        if (result.ok) return result.alarm;
        if (result.reason === 'unknown-alarm') throw notFound(`no alarm ${request.params.id}`);
        throw new ApiError(
          409,
          'conflict',
          `the alarm is ${result.alarm.state}: it cannot be ${to}`,
        );
      },
    );
  }
}
