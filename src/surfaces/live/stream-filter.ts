import type { ApiPrincipal } from '../api/roles.js';
import type { LiveEvent, LiveEventKind } from './live-events.js';

/** The optional narrowing a page asks for: only events about this store, cart or session. */
export interface StreamQuery {
  readonly store?: string;
  readonly device?: string;
  readonly session?: string;
}

const STORE_KINDS: ReadonlySet<LiveEventKind> = new Set(['session', 'scan', 'cart', 'alert']);
const CUSTOMER_KINDS: ReadonlySet<LiveEventKind> = new Set(['session', 'scan']);

/**
 * What a caller may see (decision 023): ops everything; staff the events of their store (never
 * the fleet-wide rollouts and dead letters, nor alarms: ops-only, as their API is); a customer the
 * sessions, and their scans, of their own account. Any other role sees nothing. The query narrows
 * further: an event that does not name the store, cart or session asked for is left out.
 */
export function streamFilter(
  principal: Pick<ApiPrincipal, 'role' | 'store' | 'subject'>,
  query: StreamQuery = {},
): (event: LiveEvent) => boolean {
  const allowed = audienceOf(principal);
  return (event) => {
    const a = event.audience;
    if (query.store !== undefined && a.storeId !== query.store) return false;
    if (query.device !== undefined && a.deviceId !== query.device) return false;
    if (query.session !== undefined && a.sessionId !== query.session) return false;
    return allowed(event);
  };
}

function audienceOf(
  principal: Pick<ApiPrincipal, 'role' | 'store' | 'subject'>,
): (event: LiveEvent) => boolean {
  switch (principal.role) {
    case 'ops':
      return () => true;
    case 'staff': {
      const store = principal.store;
      if (store === undefined) return () => false;
      return (e) => STORE_KINDS.has(e.kind) && e.audience.storeId === store;
    }
    case 'customer': {
      const subject = principal.subject;
      return (e) => CUSTOMER_KINDS.has(e.kind) && e.audience.accountId === subject;
    }
    default:
      return () => false;
  }
}
