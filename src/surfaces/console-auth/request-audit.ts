import type { FastifyInstance } from 'fastify';
import { unavailable } from '../api/api-errors.js';
import { auditActor } from '../api/auth.js';
import type { AuditLog } from '../../stores/audit/audit-log.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route writes its own audit record of what it changes, with the person as actor (staff
     * overrides, sign-in): the generic console-request record would only repeat it.
     */
    auditsItself?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_ID_LENGTH = 128;

/**
 * Every state-changing request made through a console session is audited before its handler
 * runs, with the person as actor, the route, and the ids in its path (never the body, which may
 * hold personal data). A request the audit log cannot record is refused (503), as staff overrides
 * are: nothing a person does at the console goes unrecorded. The record says what was asked;
 * what it changed is in the resource itself (a rollout's state, a command's outcome).
 */
export function auditConsoleRequests(app: FastifyInstance, audit: AuditLog | undefined): void {
  app.addHook('preHandler', async (request) => {
    const principal = request.principal;
    if (principal?.via !== 'session' || SAFE_METHODS.has(request.method)) return;
    if (request.routeOptions.config.auditsItself) return;
    if (!audit)
      throw unavailable('no audit log is configured; console changes are not made unaudited');
    const ids: Record<string, string> = {};
    for (const [key, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') ids[key] = value.slice(0, MAX_ID_LENGTH);
    }
    const named = namedIds(request.routeOptions.url, ids);
    const storeId = named.storeId ?? ids['store'] ?? principal.store;
    const deviceId = named.deviceId ?? ids['device'];
    try {
      await audit.append({
        actor: auditActor(principal),
        action: 'console-request',
        purpose: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
        ...(storeId !== undefined ? { storeId } : {}),
        ...(deviceId !== undefined ? { deviceId } : {}),
        ...(principal.role === 'customer' ? { accountId: principal.subject } : {}),
        detail: ids,
      });
    } catch {
      throw unavailable('the audit log cannot record this change now, so it is not made');
    }
  });
}

/**
 * The store and device a route's path names, by the collection each parameter follows: the
 * routes call a device `:id` (/v1/devices/:id/commands) or `:device`, a store `:id` or `:store`,
 * and a cart's trail and a store's records are found by these fields, not by the parameter name.
 */
export function namedIds(
  url: string | undefined,
  ids: Readonly<Record<string, string>>,
): { storeId?: string; deviceId?: string } {
  const named: { storeId?: string; deviceId?: string } = {};
  const segments = (url ?? '').split('/');
  segments.forEach((segment, i) => {
    const value = segment.startsWith(':') ? ids[segment.slice(1)] : undefined;
    if (value === undefined) return;
    const collection = segments[i - 1];
    if (collection === 'stores') named.storeId ??= value;
    if (collection === 'devices' || collection === 'carts') named.deviceId ??= value;
  });
  return named;
}
