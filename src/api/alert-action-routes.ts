import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/audit-log.js';
import { STORE_ID_PATTERN, UUID_PATTERN } from '../contract/index.js';
import type { AlertTransition, AlertView } from '../entities/entity-store.js';
import { storeAccess } from '../staff/store-carts.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, notFound, unavailable } from './api-errors.js';
import { alertView } from './alert-schemas.js';
import { authenticate } from './auth.js';
import { errorBody, errors } from './schemas.js';

const ACTIONS = {
  acknowledge: { to: 'acknowledged', from: ['open'] },
  resolve: { to: 'resolved', from: ['open', 'acknowledged'] },
} as const satisfies Record<string, { to: AlertTransition['to']; from: readonly string[] }>;

/**
 * Staff (of the alert's store) and ops acknowledge a loss-prevention alert (someone is on it) and
 * resolve it. Each change is audited before it is made, like a staff override: a change the audit
 * log cannot record is not made.
 */
export function registerAlertActionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const now = () => (deps.now ? deps.now().getTime() : Date.now());
  for (const [action, { to, from }] of Object.entries(ACTIONS)) {
    app.post<{ Params: { store: string; id: string } }>(
      `/v1/stores/:store/loss-prevention/:id/${action}`,
      {
        onRequest: authenticate(deps),
        schema: {
          summary:
            action === 'acknowledge'
              ? 'Acknowledge a loss-prevention alert: someone is on it'
              : 'Resolve a loss-prevention alert',
          description: `Moves the alert from ${from.join(' or ')} to ${to}, recording who and when, and audits it (action alert-state). 409 conflict when the alert is in another state; 404 when the store has no such alert.`,
          tags: ['stores', 'loss-prevention'],
          security: [{ bearer: [] }],
          params: {
            type: 'object',
            properties: {
              store: { type: 'string', pattern: STORE_ID_PATTERN },
              id: { type: 'string', pattern: UUID_PATTERN },
            },
            required: ['store', 'id'],
          },
          response: { 200: alertView, ...errors, 409: errorBody, 503: errorBody },
        },
      },
      async (request) => {
        const { store, id } = request.params;
        const principal = await storeAccess(deps, request, store);
        const alert = await deps.entities.getAlert(id);
        if (!alert || alert.storeId !== store) throw notFound(`no alert ${id} in store ${store}`);
        if (!(from as readonly string[]).includes(alert.state)) throw conflict(alert, action);
        const audit = deps.audit;
        if (!audit)
          throw unavailable('no audit log is configured; alerts are not changed unaudited');
        await recorded(audit, {
          actor: { role: principal.role, subject: principal.subject },
          action: 'alert-state',
          purpose: `${action} loss-prevention alert`,
          deviceId: alert.deviceId,
          storeId: store,
          detail: { alert_id: id, kind: alert.kind, session_id: alert.sessionId, state: to },
        });
        const result = await deps.entities.transitionAlert(id, {
          to,
          by: `${principal.role}:${principal.subject}`,
          at: now(),
        });
        // Someone else moved it between the read and the write.
        if (!result.ok)
          throw result.reason === 'state'
            ? conflict(result.alert, action)
            : notFound(`no alert ${id}`);
        deps.live?.bus.publish(
          'alert',
          { storeId: store, deviceId: alert.deviceId, sessionId: alert.sessionId },
          { action: to, alert: result.alert },
        );
        return result.alert;
      },
    );
  }
}

function conflict(alert: AlertView, action: string): ApiError {
  return new ApiError(
    409,
    'conflict',
    `alert ${alert.id} is ${alert.state}; it cannot ${action === 'acknowledge' ? 'be acknowledged' : 'be resolved'}`,
  );
}

async function recorded(audit: AuditLog, entry: Parameters<AuditLog['append']>[0]): Promise<void> {
  try {
    await audit.append(entry);
  } catch {
    throw unavailable('the audit log cannot record this change now, so it is not made');
  }
}
