import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { unavailable } from '../api/api-errors.js';
import { authenticate, requireRole } from '../api/auth.js';
import { errorBody, errors, nullable } from '../api/schemas.js';
import { HISTORY_WINDOWS, type HistoryWindow } from './metric-history.js';

const perMinute = { type: 'object', additionalProperties: { type: 'number' } } as const;

const point = {
  type: 'object',
  properties: {
    at: { type: 'string', description: 'End of the sampling interval.' },
    storedPerMinute: { type: 'number' },
    rejectedPerMinute: { type: 'number' },
    rejectsPerMinute: { ...perMinute, description: 'By reason (schema, signature, replay…).' },
    connectedDevices: { type: 'integer' },
    publishToStoredP50Ms: nullable('number'),
    publishToStoredP99Ms: nullable('number'),
    authFailuresPerMinute: { type: 'number' },
  },
  required: [
    'at',
    'storedPerMinute',
    'rejectedPerMinute',
    'rejectsPerMinute',
    'connectedDevices',
    'publishToStoredP50Ms',
    'publishToStoredP99Ms',
    'authFailuresPerMinute',
  ],
} as const;

/** GET /v1/metrics/history: what the ops console charts over the last hour or day. */
export function registerMetricHistoryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { window?: HistoryWindow } }>(
    '/v1/metrics/history',
    {
      onRequest: authenticate(deps),
      schema: {
        summary:
          'Messages per minute, connected devices, latency and rejects over an hour or a day',
        description:
          'One point per sampling interval (a minute by default), oldest first: messages stored and rejected per minute with rejects by reason, devices connected at the end of the interval, publish-to-stored p50 and p99 over the interval (null when nothing was stored; estimated from histogram buckets), connection auth failures per minute. The embedded platform keeps eight days and keeps them across restarts.',
        tags: ['operations'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            window: { type: 'string', enum: Object.keys(HISTORY_WINDOWS), default: '1h' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              window: { type: 'string', enum: Object.keys(HISTORY_WINDOWS) },
              source: { type: 'string', description: 'embedded: the platform’s own samples.' },
              intervalMs: { type: 'integer' },
              points: { type: 'array', items: point },
            },
            required: ['window', 'source', 'intervalMs', 'points'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      if (!deps.metricHistory) throw unavailable('this platform keeps no metric history');
      const now = (deps.now ?? (() => new Date()))().getTime();
      return deps.metricHistory.read(request.query.window ?? '1h', now);
    },
  );
}
