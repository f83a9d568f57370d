import type { DeviceClass, DeviceMessageType } from '../../contract/index.js';
import type { StoredEvent } from './telemetry-store.js';

const DAY_MS = 86_400_000;
/** The field name of a type's event count: no body field path starts with '#'. */
export const EVENTS_FIELD = '#events';
/** Envelope numbers that say nothing about the device's day. */
const SKIPPED = new Set(['counter', 'schema_version']);

/** What is left of a device's UTC day of one message type once its raw events are gone. */
export interface DailyAggregate {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  /** YYYY-MM-DD, UTC, by device time. */
  readonly day: string;
  readonly type: DeviceMessageType;
  /** A numeric body field as a dotted path (`location.lat`), or EVENTS_FIELD for the count. */
  readonly field: string;
  readonly count: number;
  /** Null for EVENTS_FIELD. */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

/** What a dry run reports for tier 1. */
export interface TelemetryRetentionDue {
  /** Raw events with device time before the raw cutoff: to fold, then delete. */
  readonly rawEvents: number;
  /** (device, UTC day) pairs whose aggregates are before the aggregate cutoff: to delete. */
  readonly aggregateDays: number;
}

export interface FoldOutcome {
  /** Raw events folded into aggregates and deleted by this call. */
  readonly folded: number;
  /** Raw events deleted without folding: folded by an earlier call that stopped before deleting. */
  readonly alreadyFolded: number;
}

/** One (type, field) of a device-day while folding: `sum` rather than the mean, so it merges. */
export interface FieldStats {
  n: number;
  min: number | null;
  max: number | null;
  sum: number | null;
}

export const utcDay = (deviceTime: number): string =>
  new Date(Math.floor(deviceTime / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

export const dayNumber = (deviceTime: number): number => Math.floor(deviceTime / DAY_MS);

/** `type|field` → stats, for the events of one device-day; merges into `into`. */
export function foldInto(into: Map<string, FieldStats>, event: StoredEvent): void {
  add(into, `${event.type}|${EVENTS_FIELD}`, undefined);
  for (const [path, value] of numericFields(event.body)) add(into, `${event.type}|${path}`, value);
}

export function mergeStats(into: Map<string, FieldStats>, from: Map<string, FieldStats>): void {
  for (const [key, s] of from) {
    const had = into.get(key);
    if (!had) {
      into.set(key, { ...s });
      continue;
    }
    had.n += s.n;
    if (s.sum !== null) {
      had.sum = (had.sum ?? 0) + s.sum;
      had.min = had.min === null ? s.min : Math.min(had.min, s.min!);
      had.max = had.max === null ? s.max : Math.max(had.max, s.max!);
    }
  }
}

export function toAggregates(
  head: Pick<DailyAggregate, 'deviceId' | 'storeId' | 'deviceClass' | 'day'>,
  stats: Map<string, FieldStats>,
): DailyAggregate[] {
  return [...stats].map(([key, s]) => {
    const bar = key.indexOf('|');
    return {
      ...head,
      type: key.slice(0, bar) as DeviceMessageType,
      field: key.slice(bar + 1),
      count: s.n,
      min: s.min,
      max: s.max,
      mean: s.sum === null ? null : s.sum / s.n,
    };
  });
}

export function compareAggregates(a: DailyAggregate, b: DailyAggregate): number {
  return (
    cmp(a.day, b.day) || cmp(a.type, b.type) || cmp(a.field, b.field) || cmp(a.deviceId, b.deviceId)
  );
}

/**
 * The finite numbers of a signed body as dotted paths; arrays, strings and the envelope's counter
 * and version are left out. A body that is not JSON (it was verified, so this is unexpected)
 * still counts as an event, with no fields.
 */
export function numericFields(body: string): [string, number][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const out: [string, number][] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number' && Number.isFinite(value)) out.push([path, value]);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (path === '' && SKIPPED.has(k)) continue;
        walk(v, path === '' ? k : `${path}.${k}`);
      }
    }
  };
  walk(parsed, '');
  return out;
}

function add(into: Map<string, FieldStats>, key: string, value: number | undefined): void {
  const s = into.get(key) ?? { n: 0, min: null, max: null, sum: null };
  s.n += 1;
  if (value !== undefined) {
    s.sum = (s.sum ?? 0) + value;
    s.min = s.min === null ? value : Math.min(s.min, value);
    s.max = s.max === null ? value : Math.max(s.max, value);
  }
  into.set(key, s);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
