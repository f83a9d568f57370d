/** The audit log: the port, its two adapters and the choice between them. */
import { join, resolve } from 'node:path';
import { auditFailure } from './audit-errors.js';
import type { AuditLog } from './audit-log.js';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';

export * from './audit-errors.js';
export * from './audit-hash.js';
export type * from './audit-log.js';
export * from './audit-retention.js';
export { PostgresAuditLog, type PostgresAuditLogOptions } from './postgres-audit-log.js';
export { SqliteAuditLog, type SqliteAuditLogOptions } from './sqlite-audit-log.js';

export interface AuditLogOptions {
  /** The data directory: the embedded log is DIR/audit/audit.db. */
  readonly dir?: string;
  /** A PostgreSQL server (postgres://…); takes the place of the embedded file. */
  readonly url?: string;
  /** Schema on the server; only with `url`. */
  readonly schema?: string;
  readonly now?: () => Date;
}

/** Where the embedded audit log lives under a data directory. */
export function auditLogFile(dataDir: string): string {
  return join(resolve(dataDir), 'audit', 'audit.db');
}

/** The PostgreSQL log when a URL is given, else the SQLite file under the data directory. */
export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const now = options.now;
  if (options.url !== undefined) {
    return PostgresAuditLog.open({ url: options.url, schema: options.schema, now });
  }
  if (options.dir === undefined) {
    throw auditFailure('invalid-audit-target', 'the audit log needs a data directory or a URL');
  }
  if (options.schema !== undefined) {
    throw auditFailure('invalid-audit-target', 'a schema applies only to a PostgreSQL audit log');
  }
  return new SqliteAuditLog(auditLogFile(options.dir), { now });
}
