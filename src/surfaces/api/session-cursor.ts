import type { SessionPageKey } from '../../stores/entities/entity-store.js';
import { ApiError } from './api-errors.js';

const ISO = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The `next` of a session page as an opaque token: callers pass it back as `after`. */
export function encodeCursor(key: SessionPageKey): string {
  return Buffer.from(`${key.startedAt} ${key.sessionId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): SessionPageKey {
  const [startedAt, sessionId, ...rest] = Buffer.from(cursor, 'base64url')
    .toString('utf8')
    .split(' ');
  if (
    rest.length > 0 ||
    !startedAt ||
    !sessionId ||
    !ISO.test(startedAt) ||
    !UUID.test(sessionId)
  ) {
    throw new ApiError(400, 'bad-request', 'after must be the next cursor of a previous page');
  }
  return { startedAt, sessionId };
}
