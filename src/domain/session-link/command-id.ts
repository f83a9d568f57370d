import { createHash } from 'node:crypto';

/** The namespace of attach-customer command ids (a random UUID, fixed forever). */
const NAMESPACE = Buffer.from('3b0f7c52a1d94e6b8f2e6c1d0a9b8e47', 'hex');

/**
 * A command id derived from what caused the command (RFC 4122 version 5: SHA-1 of a namespace and
 * a name). The cart executes each id once; a replayed projection batch re-sends the same id, so a
 * carried basket is never added twice however often the cloud says it.
 */
export function commandIdFor(sessionId: string, cause: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${sessionId}/${cause}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
