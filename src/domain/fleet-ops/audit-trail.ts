import type { AuditLog, AuditRecord } from '../../stores/audit/audit-log.js';
import type { StoredEvent, TelemetryStore } from '../../stores/telemetry/telemetry-store.js';

/** One line of a cart's trail: an audit record, or a fault or command response the cart sent. */
export interface TrailEntry {
  readonly at: string;
  readonly source: 'audit' | 'fault' | 'command-response';
  /** The audit seq, or the device counter. */
  readonly ref: number;
  readonly actor: { readonly role: string; readonly subject: string } | null;
  /** The audit action, the fault code, or the command response status. */
  readonly action: string;
  readonly purpose: string | null;
  readonly detail: Record<string, unknown>;
}

/**
 * Where a page ended. Entries are ordered newest first, then audit before device events at the
 * same millisecond, then by ref descending: a total order, so pages neither repeat nor skip.
 */
export interface TrailKey {
  readonly at: number;
  readonly rank: 0 | 1;
  readonly ref: number;
}

interface Ranked {
  readonly key: TrailKey;
  readonly entry: TrailEntry;
}

const AUDIT_CHUNK = 1000;
/** Envelope fields a trail entry already says in its own terms. */
const ENVELOPE = new Set(['schema_version', 'device_id', 'type', 'counter', 'ts']);

function before(a: TrailKey, b: TrailKey): boolean {
  return a.at !== b.at ? a.at > b.at : a.rank !== b.rank ? a.rank < b.rank : a.ref > b.ref;
}

/**
 * A cart's audit records merged with the faults and command responses it sent, newest first.
 * Device events come from the telemetry store a page at a time; audit records per cart are few,
 * so they are read whole up to the cursor and the newest kept.
 */
export async function cartTrail(
  sources: { audit: AuditLog | undefined; telemetry: TelemetryStore },
  deviceId: string,
  options: { limit: number; after?: TrailKey },
): Promise<{ entries: TrailEntry[]; next: TrailKey | null }> {
  const { limit, after } = options;
  const candidates: Ranked[] = [];
  if (sources.audit) {
    for (const record of await auditUpTo(sources.audit, deviceId, after)) {
      const ranked = fromAudit(record);
      if (!after || before(after, ranked.key)) candidates.push(ranked);
    }
  }
  // Keyset per source: with the cursor on an audit entry, device events of the same millisecond
  // still follow it; with the cursor on a device event, only older counters do.
  const keyset =
    after === undefined
      ? undefined
      : { deviceTime: after.at, counter: after.rank === 1 ? after.ref : Number.MAX_SAFE_INTEGER };
  for (const type of ['fault', 'command-response'] as const) {
    const events = await sources.telemetry.latestForDevice(deviceId, {
      type,
      limit: limit + 1,
      ...(keyset ? { before: keyset } : {}),
    });
    candidates.push(...events.map(fromEvent));
  }
  candidates.sort((a, b) => (before(a.key, b.key) ? -1 : 1));
  const page = candidates.slice(0, limit);
  const last = page[page.length - 1];
  return {
    entries: page.map((c) => c.entry),
    next: candidates.length > limit && last ? last.key : null,
  };
}

async function auditUpTo(
  audit: AuditLog,
  deviceId: string,
  after: TrailKey | undefined,
): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  // `until` one millisecond past the cursor holds whether an adapter reads it inclusive or not;
  // the exact cut is made by the caller.
  const until = after === undefined ? undefined : new Date(after.at + 1);
  let afterSeq = 0;
  for (;;) {
    const chunk = await audit.query({
      deviceId,
      afterSeq,
      limit: AUDIT_CHUNK,
      ...(until ? { until } : {}),
    });
    records.push(...chunk);
    const last = chunk[chunk.length - 1];
    if (chunk.length < AUDIT_CHUNK || !last) return records;
    afterSeq = last.seq;
  }
}

function fromAudit(record: AuditRecord): Ranked {
  const at = record.at.getTime();
  return {
    key: { at, rank: 0, ref: record.seq },
    entry: {
      at: record.at.toISOString(),
      source: 'audit',
      ref: record.seq,
      actor: { role: record.actor.role, subject: record.actor.subject },
      action: record.action,
      purpose: record.purpose,
      detail: { ...record.detail },
    },
  };
}

function fromEvent(event: StoredEvent): Ranked {
  const body = JSON.parse(event.body) as Record<string, unknown>;
  const rest = Object.fromEntries(Object.entries(body).filter(([k]) => !ENVELOPE.has(k)));
  const action =
    event.type === 'fault' ? String(body['code']) : String(body['status'] ?? 'unknown');
  return {
    key: { at: event.deviceTime, rank: 1, ref: event.counter },
    entry: {
      at: new Date(event.deviceTime).toISOString(),
      source: event.type === 'fault' ? 'fault' : 'command-response',
      ref: event.counter,
      actor: null,
      action,
      purpose: null,
      detail: rest,
    },
  };
}

export function encodeTrailKey(key: TrailKey): string {
  return Buffer.from(`${key.at}:${key.rank}:${key.ref}`, 'utf8').toString('base64url');
}

/** Undefined when the text is not a cursor this module made. */
export function decodeTrailKey(cursor: string): TrailKey | undefined {
  const match = /^(-?[0-9]{1,16}):([01]):([0-9]{1,16})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) return undefined;
  return { at: Number(match[1]), rank: match[2] === '0' ? 0 : 1, ref: Number(match[3]) };
}
