import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { forbidden, unavailable } from '../api/api-errors.js';
import { authenticate, requireRole } from '../api/auth.js';
import { errorBody, errors } from '../api/schemas.js';
import { DEVICE_ID_PATTERN, STORE_ID_PATTERN, UUID_PATTERN } from '../../contract/index.js';
import { EventStream } from './event-stream.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_BUFFERED_BYTES } from './live-api.js';
import { LIVE_EVENT_KINDS, type LiveEvent } from './live-events.js';
import { sessionEvent } from './session-event.js';
import { streamFilter, type StreamQuery } from './stream-filter.js';
import { endWithAuthority } from './stream-lifetime.js';

const OPEN_STATUSES = new Set(['active', 'paused']);

/** GET /v1/stream: the live updates of decision 023 as server-sent events. */
export function registerStreamRoute(app: FastifyInstance, deps: ApiDeps): void {
  const open = new Set<EventStream>();
  // Open streams never end by themselves; the server ends them so that closing it does not wait.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.close();
  });

  app.get<{ Querystring: StreamQuery }>(
    '/v1/stream',
    {
      onRequest: authenticate(deps),
      schema: {
        summary: 'Live updates as server-sent events, filtered to what the caller may see',
        description: `Ops see every event, staff those of their store, a customer the sessions (and their scans) of their own account. Events (\`event:\` line): ${LIVE_EVENT_KINDS.join(', ')}; \`data:\` is one JSON object (see the console decision, 023). A comment line every 15 s keeps proxies open. Reconnect with Last-Event-ID to get what was missed while away, as far as the server still holds it. A customer's stream starts with a \`session\` event for each of their open sessions. \`store\`, \`device\` and \`session\` narrow the stream to events about them.`,
        tags: ['live'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            store: { type: 'string', pattern: STORE_ID_PATTERN },
            device: { type: 'string', pattern: DEVICE_ID_PATTERN },
            session: { type: 'string', pattern: UUID_PATTERN },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            description: 'An endless stream of events (text/event-stream).',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, ['ops', 'staff', 'customer']);
      const query = request.query;
      if (principal.role === 'staff' && query.store !== undefined) {
        if (query.store !== principal.store) {
          throw forbidden(`this staff token is for store ${principal.store}, not ${query.store}`);
        }
      }
      const live = deps.live;
      if (!live) throw unavailable('this platform runs no live stream');

      reply.hijack();
      const stream = new EventStream(reply.raw, {
        heartbeatMs: live.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
        maxBufferedBytes: live.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      });
      open.add(stream);
      const send = (e: LiveEvent) =>
        stream.send({ ...(e.id ? { id: e.id } : {}), event: e.kind, data: e.data });
      const accept = streamFilter(principal, query);
      // Held while a customer's snapshot is read, so nothing newer is overtaken by it.
      let held: LiveEvent[] | undefined = principal.role === 'customer' ? [] : undefined;
      const lastEventId = request.headers['last-event-id'];
      const subscription = live.bus.subscribe(
        accept,
        (e) => (held ? held.push(e) : send(e)),
        typeof lastEventId === 'string' ? lastEventId : undefined,
      );
      const release = endWithAuthority(deps, live, principal, () => stream.close());
      stream.onClose(() => {
        release();
        subscription.close();
        open.delete(stream);
      });
      if (held) {
        try {
          for (const session of await deps.entities.listAccountSessions(principal.subject)) {
            if (!OPEN_STATUSES.has(session.status)) continue;
            const current = await sessionEvent(deps.entities, session.sessionId);
            const event = current && { id: '', kind: 'session' as const, ...current };
            if (event && accept(event)) send(event);
          }
        } catch {
          // The snapshot is a courtesy; the live events still come.
        }
        for (const e of held) send(e);
        held = undefined;
      }
    },
  );
}
