import { createHash } from 'node:crypto';
import type { AuditRecord } from './audit-log.js';

/** What the hash covers: every field of a record except the two hashes themselves. */
export type HashedRecord = Omit<AuditRecord, 'prevHash' | 'hash'>;

/**
 * The canonical JSON of a record: keys sorted at every level, dates as ISO strings, absent optional
 * fields omitted (never `null`), arrays in their given order. Two adapters, or one adapter before
 * and after a round trip through its database, produce the same bytes for the same record, which
 * is what lets `verify` recompute a hash written by another process or engine.
 */
export function canonicalJson(record: HashedRecord): string {
  return canonical(record);
}

/** `sha256hex(prevHash + '\n' + canonical)`: each record commits to its predecessor's hash. */
export function auditHash(prevHash: string, record: HashedRecord): string {
  return createHash('sha256')
    .update(prevHash + '\n' + canonicalJson(record), 'utf8')
    .digest('hex');
}

function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // JSON would write null, and the record read back would no longer hash the same.
    throw new TypeError('a non-finite number has no canonical JSON');
  }
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return JSON.stringify(value);
  }
  throw new TypeError(`no canonical JSON for a ${typeof value}`);
}
