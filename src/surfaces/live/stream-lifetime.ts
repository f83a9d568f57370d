import type { ApiDeps } from '../api/api-deps.js';
import type { ApiPrincipal } from '../api/roles.js';
import { ConsoleSessions } from '../console-auth/console-sessions.js';
import type { LiveApi } from './live-api.js';

/** Timers are re-armed at least this often: setTimeout cannot wait a customer's 30 days. */
const MAX_WAIT_MS = 3_600_000;

/** The open streams of each console session (by its id's hash), per platform. */
const sessionStreams = new WeakMap<LiveApi, Map<string, Set<() => void>>>();

/**
 * A stream lasts no longer than what authorised it: a token until it expires, a console session
 * until it ends. A request is checked once, but a stream stays open for hours; without this a
 * signed-out or idle session (a shared tablet) would go on receiving its store's events. A session
 * is looked up again when it would end by now (requests since may have extended it), and sign-out
 * ends its streams at once (endSessionStreams). Returns what to call when the stream closes for
 * any other reason.
 */
export function endWithAuthority(
  deps: ApiDeps,
  live: LiveApi,
  principal: ApiPrincipal,
  close: () => void,
): () => void {
  const now = () => (deps.now ? deps.now().getTime() : Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const at = (end: number, then: () => void) => {
    timer = setTimeout(then, Math.min(Math.max(0, end - now()), MAX_WAIT_MS));
    timer.unref();
  };

  if (principal.via !== 'session') {
    const end = principal.expiresAt.getTime();
    const expire = () => (now() >= end ? close() : at(end, expire));
    at(end, expire);
    return () => clearTimeout(timer);
  }

  let byId = sessionStreams.get(live);
  if (!byId) sessionStreams.set(live, (byId = new Map()));
  const held = byId.get(principal.tokenId) ?? new Set();
  byId.set(principal.tokenId, held);
  held.add(close);
  const sessions = new ConsoleSessions(deps.entities);
  const check = async () => {
    const session = await sessions.findByHash(principal.tokenId, now()).catch(() => undefined);
    if (stopped) return;
    if (!session) close();
    else at(session.endsAt, () => void check());
  };
  at(principal.expiresAt.getTime(), () => void check());
  return () => {
    stopped = true;
    clearTimeout(timer);
    held.delete(close);
    if (held.size === 0 && byId.get(principal.tokenId) === held) byId.delete(principal.tokenId);
  };
}

/** Ends every open stream of a console session: it signed out. */
export function endSessionStreams(live: LiveApi | undefined, idHash: string): void {
  const held = live && sessionStreams.get(live)?.get(idHash);
  if (!held) return;
  for (const close of [...held]) close();
}
