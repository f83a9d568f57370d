import { entityFailure, type EntityFailure } from '../errors.js';

// SQLSTATEs that say the server went away, not that the statement was wrong: class 08 is
// "connection exception"; 57P01..57P03 are an administrator's shutdown, a crash shutdown and
// "cannot connect now" (the server starting up or shutting down).
const SERVER_GONE = new Set(['57P01', '57P02', '57P03']);
// What Node's sockets say when there is no server to talk to.
const SOCKET_GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
// node-postgres reports a connection that ended under a query without a code.
const CONNECTION_ENDED =
  /Connection terminated|connection timeout|Client has encountered a connection error/i;

/**
 * The error as an `entity-store-unavailable` failure when it means the PostgreSQL server is
 * unreachable (stopped, restarting, the network down): a caller can wait and try again, where an
 * error in the statement or the data would fail the same way every time. Other errors as given.
 */
export function asUnavailable(error: unknown, where: string): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const gone =
    (typeof code === 'string' &&
      (SERVER_GONE.has(code) || SOCKET_GONE.has(code) || code.startsWith('08'))) ||
    (code === undefined && CONNECTION_ENDED.test(error.message));
  if (!gone) return error;
  return entityFailure(
    'entity-store-unavailable',
    `the PostgreSQL server at ${where} is unreachable: ${error.message}`,
    error,
  ) satisfies EntityFailure;
}
