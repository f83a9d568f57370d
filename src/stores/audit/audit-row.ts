import type { AuditQuery, AuditRecord } from './audit-log.js';

/** One stored record as both adapters lay it out: a column per field, lists as JSON text. */
export interface AuditRow {
  seq: number | string;
  at: string | Date;
  actor_role: string;
  actor_subject: string;
  action: string;
  purpose: string;
  account_id: string | null;
  device_id: string | null;
  store_id: string | null;
  region: string | null;
  fields: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export const AUDIT_COLUMNS =
  'seq, at, actor_role, actor_subject, action, purpose, account_id, device_id, store_id, region, ' +
  'fields, detail, prev_hash, hash';

/** The values for AUDIT_COLUMNS in order; the timestamp as the caller's engine wants it. */
export function rowValues(record: AuditRecord, at: string | Date): unknown[] {
  return [
    record.seq,
    at,
    record.actor.role,
    record.actor.subject,
    record.action,
    record.purpose,
    record.accountId ?? null,
    record.deviceId ?? null,
    record.storeId ?? null,
    record.region ?? null,
    record.fields === undefined ? null : JSON.stringify(record.fields),
    record.detail === undefined ? null : JSON.stringify(record.detail),
    record.prevHash,
    record.hash,
  ];
}

/**
 * The record a row holds, exactly as stored: a NULL column stays an absent field, and nothing is
 * checked here; an edited row is for `verify` to find, so reading never hides it.
 */
export function toAuditRecord(row: AuditRow): AuditRecord {
  const optional: Record<string, unknown> = {};
  if (row.account_id !== null) optional['accountId'] = row.account_id;
  if (row.device_id !== null) optional['deviceId'] = row.device_id;
  if (row.store_id !== null) optional['storeId'] = row.store_id;
  if (row.region !== null) optional['region'] = row.region;
  if (row.fields !== null) optional['fields'] = parsed(row.fields);
  if (row.detail !== null) optional['detail'] = parsed(row.detail);
  return {
    seq: Number(row.seq),
    at: row.at instanceof Date ? row.at : new Date(row.at),
    actor: { role: row.actor_role, subject: row.actor_subject },
    // Not checked: an unknown action can only be an edited row, and verify is what flags it.
    action: row.action as AuditRecord['action'],
    purpose: row.purpose,
    ...optional,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Edited JSON that no longer parses stays text, so verify reports a changed record, not a crash. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The WHERE clause and parameters for a query, oldest first. `param` returns the placeholder for
 * the next value (`?` for SQLite, `$n` for PostgreSQL). `since` is inclusive, `until` exclusive.
 */
export function auditQuerySql(q: AuditQuery, param: (value: unknown) => string): string {
  const where: string[] = [];
  if (q.accountId !== undefined) where.push(`account_id = ${param(q.accountId)}`);
  if (q.deviceId !== undefined) where.push(`device_id = ${param(q.deviceId)}`);
  if (q.storeId !== undefined) where.push(`store_id = ${param(q.storeId)}`);
  if (q.action !== undefined) where.push(`action = ${param(q.action)}`);
  if (q.since !== undefined) where.push(`at >= ${param(q.since.toISOString())}`);
  if (q.until !== undefined) where.push(`at < ${param(q.until.toISOString())}`);
  if (q.afterSeq !== undefined) where.push(`seq > ${param(q.afterSeq)}`);
  let sql = `SELECT ${AUDIT_COLUMNS} FROM audit_records`;
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  sql += ' ORDER BY seq';
  if (q.limit !== undefined) sql += ` LIMIT ${param(Math.max(0, Math.floor(q.limit)))}`;
  return sql;
}
