import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { unavailable } from '../../surfaces/api/api-errors.js';
import { authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors, nullable } from '../../surfaces/api/schemas.js';
import { HISTORY_WINDOWS, type HistoryWindow } from './metric-history.js';

const perMinute = { type: 'object', additionalProperties: { type: 'number' } } as const;

const point = {
  type: 'object',
  properties: {
    at: { type: 'string', description: 'End of the sampling interval.' },
    intervalMs: {
      type: 'integer',
      description:
        'The interval the point covers, as sampled (a late sample covers more): a rate × intervalMs / 60,000 is its count.',
    },
    storedPerMinute: { type: 'number' },
    rejectedPerMinute: { type: 'number' },
    rejectsPerMinute: {
      ...perMinute,
      description: 'By reason (schema, signature, replay…). Fleet-wide only.',
    },
    connectedDevices: { type: 'integer' },
    publishToStoredP50Ms: { ...nullable('number'), description: 'Fleet-wide only.' },
    publishToStoredP95Ms: { ...nullable('number'), description: 'Fleet-wide only.' },
    publishToStoredP99Ms: { ...nullable('number'), description: 'Fleet-wide only.' },
    authFailuresPerMinute: { type: 'number', description: 'Fleet-wide only.' },
    authFailuresPerMinuteByStage: {
      ...perMinute,
      description: 'By stage (tls, admission, device-api-tls, device-api). Fleet-wide only.',
    },
  },
  // A store's points carry only what is cut by store.
  required: ['at', 'intervalMs', 'storedPerMinute', 'rejectedPerMinute', 'connectedDevices'],
} as const;

/** GET /v1/metrics/history: what the ops console charts over the last hour, day or week. */
export function registerMetricHistoryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { window?: HistoryWindow; store?: string } }>(
    '/v1/metrics/history',
    {
      onRequest: authenticate(deps),
      schema: {
        summary:
          'Messages per minute, connected devices, latency and rejects over an hour, a day or a week, fleet-wide or for one store',
        description:
          'One point per sampling interval (a minute by default), oldest first: messages stored and rejected per minute with rejects by reason, devices connected at the end of the interval, publish-to-stored p50, p95 and p99 over the interval (null when nothing was stored; estimated from histogram buckets), device auth failures per minute, in all and by stage. With `store`, one store’s messages stored and rejected per minute and its connected devices, for every interval of the window (zero when the store had nothing); at most 200 stores are counted by name, the rest under the store `other`. The embedded platform keeps eight days and keeps them across restarts.',
        tags: ['operations'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            window: { type: 'string', enum: Object.keys(HISTORY_WINDOWS), default: '1h' },
            store: {
              type: 'string',
              minLength: 1,
              maxLength: 128,
              description: 'One store’s series (its id, or `other` for the stores past the cap).',
            },
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
              store: { type: 'string', description: 'The store asked for, if one was.' },
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
      const { window = '1h', store } = request.query;
      return store === undefined
        ? deps.metricHistory.read(window, now)
        : deps.metricHistory.readStore(window, now, store);
    },
  );
}
