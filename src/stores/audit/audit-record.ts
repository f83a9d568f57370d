import { auditFailure } from './audit-errors.js';
import { auditHash } from './audit-hash.js';
import type { AuditAction, AuditEntry, AuditRecord, AuditVerification } from './audit-log.js';

const ACTIONS: Record<AuditAction, true> = {
  decrypt: true,
  join: true,
  import: true,
  correct: true,
  export: true,
  delete: true,
  'residency-override': true,
  'staff-override': true,
  'alert-state': true,
  'tool-service': true,
  'console-enrol': true,
  'console-sign-in': true,
  'console-step-up': true,
  'console-sign-out': true,
  'console-invite': true,
  'console-request': true,
  retention: true,
};

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && Object.hasOwn(ACTIONS, value);
}

/**
 * A copy of the entry holding only the port's fields, checked. Only named fields are copied, so an
 * object that carries more (a customer record spread into an entry by mistake) leaves the rest
 * behind instead of writing it into a log nobody can edit. Refuses what would not survive a round
 * trip through JSON unchanged, since the hash must be recomputable from the stored row.
 */
export function checkedEntry(entry: AuditEntry): AuditEntry {
  const bad = (why: string) => auditFailure('invalid-audit-entry', `audit entry: ${why}`);
  const e = entry as Partial<Record<keyof AuditEntry, unknown>>;
  const actor = e.actor as Partial<Record<'role' | 'subject', unknown>> | undefined;
  if (!nonEmpty(actor?.role) || !nonEmpty(actor?.subject)) {
    throw bad('actor needs a role and a subject');
  }
  if (!isAuditAction(e.action)) throw bad(`unknown action ${JSON.stringify(e.action)}`);
  if (!nonEmpty(e.purpose)) throw bad('purpose is required');
  const out: { -readonly [K in keyof AuditEntry]: AuditEntry[K] } = {
    actor: { role: actor.role, subject: actor.subject },
    action: e.action,
    purpose: e.purpose,
  };
  for (const key of ['accountId', 'deviceId', 'storeId', 'region'] as const) {
    const value = e[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw bad(`${key} must be a string`);
    out[key] = value;
  }
  if (e.fields !== undefined) {
    if (!Array.isArray(e.fields) || !e.fields.every((f) => typeof f === 'string')) {
      throw bad('fields must be a list of field names');
    }
    out.fields = [...(e.fields as string[])];
  }
  if (e.detail !== undefined) {
    if (typeof e.detail !== 'object' || e.detail === null || Array.isArray(e.detail)) {
      throw bad('detail must be an object');
    }
    const detail: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(e.detail)) {
      const ok =
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value));
      if (!ok) throw bad(`detail.${key} must be a string, a finite number or a boolean`);
      detail[key] = value as string | number | boolean;
    }
    out.detail = detail;
  }
  return out;
}

/** The record at `seq`, linked to `prevHash` and hashed. */
export function chainRecord(
  entry: AuditEntry,
  seq: number,
  at: Date,
  prevHash: string,
): AuditRecord {
  const hashed = { ...entry, seq, at };
  return { ...hashed, prevHash, hash: auditHash(prevHash, hashed) };
}

/**
 * Walks records in seq order and reports the first one that breaks the chain: a gap in the
 * sequence (a record removed), a prevHash that is not its predecessor's hash (removed or
 * reordered), or a hash that does not match the record's content (edited). Keeps counting after
 * a break so the result still names the head.
 */
export class ChainWalk {
  #expectedSeq: number;
  #prevHash: string;
  readonly #startsAt: number | undefined;
  #records = 0;
  #broken: { seq: number; reason: string } | undefined;

  /** From the first record, or from `start` when a retention anchor says older ones were deleted. */
  constructor(start?: { readonly seq: number; readonly prevHash: string }) {
    this.#expectedSeq = start?.seq ?? 1;
    this.#prevHash = start?.prevHash ?? '';
    this.#startsAt = start && start.seq > 1 ? start.seq : undefined;
  }

  step(record: AuditRecord): void {
    this.#records += 1;
    if (this.#broken === undefined) {
      const why = this.#check(record);
      if (why !== undefined) this.#broken = { seq: record.seq, reason: why };
    }
    this.#expectedSeq = record.seq + 1;
    this.#prevHash = record.hash;
  }

  result(): AuditVerification {
    const base = {
      records: this.#records,
      headHash: this.#prevHash,
      ...(this.#startsAt === undefined ? {} : { startsAt: this.#startsAt }),
    };
    return this.#broken === undefined
      ? { ok: true, ...base }
      : { ok: false, ...base, brokenAt: this.#broken.seq, reason: this.#broken.reason };
  }

  #check(record: AuditRecord): string | undefined {
    if (record.seq !== this.#expectedSeq) {
      return `expected record ${this.#expectedSeq} next, found ${record.seq}: records are missing or out of order`;
    }
    if (record.prevHash !== this.#prevHash) {
      return `record ${record.seq} does not link to the hash of record ${record.seq - 1}`;
    }
    const { prevHash, hash, ...hashed } = record;
    if (auditHash(prevHash, hashed) !== hash) {
      return `record ${record.seq} does not match its hash: its content was changed`;
    }
    return undefined;
  }
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
