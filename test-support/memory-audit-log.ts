// An AuditLog in memory for tests, keeping the hash chain honestly: each record's hash is SHA-256
// over the previous hash and the record's canonical JSON (keys sorted, dates as ISO strings), so
// `verify` finds an edited, removed or reordered record the way the real adapters must.
import { createHash } from 'node:crypto';
import type {
  AuditEntry,
  AuditLog,
  AuditQuery,
  AuditRecord,
  AuditVerification,
} from '../src/stores/audit/audit-log.js';

export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(record.prevHash).update(canonicalJson(record)).digest('hex');
}

export class MemoryAuditLog implements AuditLog {
  /** The chain itself, exposed so a test can tamper with it. */
  readonly records: AuditRecord[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    const last = this.records[this.records.length - 1];
    const body = {
      ...entry,
      seq: (last?.seq ?? 0) + 1,
      at: this.now(),
      prevHash: last?.hash ?? '',
    };
    const record: AuditRecord = { ...body, hash: hashOf(body) };
    this.records.push(record);
    return Promise.resolve(record);
  }

  query(q: AuditQuery): Promise<AuditRecord[]> {
    const found = this.records.filter(
      (r) =>
        (q.accountId === undefined || r.accountId === q.accountId) &&
        (q.deviceId === undefined || r.deviceId === q.deviceId) &&
        (q.storeId === undefined || r.storeId === q.storeId) &&
        (q.action === undefined || r.action === q.action) &&
        (q.since === undefined || r.at >= q.since) &&
        (q.until === undefined || r.at < q.until) &&
        (q.afterSeq === undefined || r.seq > q.afterSeq),
    );
    return Promise.resolve(found.slice(0, q.limit ?? found.length));
  }

  verify(): Promise<AuditVerification> {
    let prevHash = '';
    for (const [i, record] of this.records.entries()) {
      const { hash, ...body } = record;
      const reason =
        record.seq !== i + 1
          ? 'sequence gap'
          : record.prevHash !== prevHash
            ? 'link to the previous record broken'
            : hashOf(body) !== hash
              ? 'record changed after it was written'
              : undefined;
      if (reason) {
        return Promise.resolve({
          ok: false,
          records: this.records.length,
          brokenAt: record.seq,
          reason,
          headHash: this.records.at(-1)?.hash ?? '',
        });
      }
      prevHash = hash;
    }
    return Promise.resolve({
      ok: true,
      records: this.records.length,
      headHash: this.records.at(-1)?.hash ?? '',
    });
  }

  /** Retention is the adapters' (audit-log.contract.ts); no test of this fake prunes. */
  pruneDue(): Promise<never> {
    return Promise.reject(new Error('MemoryAuditLog does not prune: use a real adapter'));
  }

  prune(): Promise<never> {
    return this.pruneDue();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
