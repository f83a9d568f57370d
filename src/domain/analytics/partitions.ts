import { isStoreId } from '../../contract/index.js';
import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';

/** One Parquet row: the stored event's envelope as typed columns, the body as JSON text. */
export interface ExportRow {
  readonly seq: number;
  readonly storeId: string;
  /** UTC day of the device time, YYYY-MM-DD: the partition. */
  readonly day: string;
  /** The device id, or its HMAC digest for a class whose rubric names it an identifier. */
  readonly deviceId: string | null;
  readonly deviceClass: string;
  readonly type: string;
  readonly counter: number;
  /** Device time, ms since epoch (generalised for masked types). */
  readonly ts: number | null;
  /** Arrival at the platform, ms since epoch (generalised like `ts` for masked types). */
  readonly receivedAt: number | null;
  /** The body as JSON text: as stored, or the masked row for a type that carries PII. */
  readonly body: string;
  /** The masking decision record (decision 010's `_mask`) for masked rows; null otherwise. */
  readonly mask: string | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day of a time in ms since epoch. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar day written YYYY-MM-DD. */
export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  return m !== null && utcDay(Date.parse(`${text}T00:00:00Z`)) === text;
}

/** The row of an event no rubric applies to: everything as stored, except the signature. */
export function plainRow(event: StoredEvent): ExportRow {
  return {
    seq: event.seq,
    storeId: event.storeId,
    day: utcDay(event.deviceTime),
    deviceId: event.deviceId,
    deviceClass: event.deviceClass,
    type: event.type,
    counter: event.counter,
    ts: event.deviceTime,
    receivedAt: event.receivedAt,
    body: event.body,
    mask: null,
  };
}

/**
 * The Hive-style directory of a partition, relative to the export root. Store ids are checked
 * against the contract's pattern (no `/`, no `..`, no `=`), so they are safe as path segments.
 */
export function partitionDir(storeId: string, day: string): string {
  if (!isStoreId(storeId)) throw new Error(`store id '${storeId}' cannot name a partition`);
  return `store=${storeId}/day=${day}`;
}

const PART = /^part-(\d{12})-(\d{12})\.parquet$/;

/** A part file is named by the change-feed range of the run chunk that wrote it. */
export function partFileName(firstSeq: number, lastSeq: number): string {
  return `part-${String(firstSeq).padStart(12, '0')}-${String(lastSeq).padStart(12, '0')}.parquet`;
}

/** The first seq of a part file's chunk, or undefined for a name that is not a part file's. */
export function partFirstSeq(name: string): number | undefined {
  const m = PART.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Rows grouped by partition directory, in the order first seen. */
export function groupByPartition(rows: readonly ExportRow[]): Map<string, ExportRow[]> {
  const groups = new Map<string, ExportRow[]>();
  for (const row of rows) {
    const dir = partitionDir(row.storeId, row.day);
    let group = groups.get(dir);
    if (!group) groups.set(dir, (group = []));
    group.push(row);
  }
  return groups;
}
