import type { MetricSample, StoreSample } from './metric-history.js';
import type { PlatformMetrics } from './metrics.js';

/** Cumulative histogram buckets: `counts[i]` observations at or below `bounds[i]` (last: +Inf). */
export interface Buckets {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

/** The platform's counters and gauges at one moment, as the sampler compares them. */
export interface MetricSnapshot {
  readonly stored: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  readonly authFailures: number;
  readonly authFailuresByStage: Readonly<Record<string, number>>;
  readonly connectedDevices: number;
  /** fleetplane_ingest_publish_to_stored_seconds. */
  readonly latency: Buckets;
  /** Per store label, summed over device classes. */
  readonly storedByStore: Readonly<Record<string, number>>;
  readonly rejectsByStore: Readonly<Record<string, number>>;
  readonly connectedByStore: Readonly<Record<string, number>>;
}

interface Value {
  readonly value: number;
  readonly labels: Partial<Record<string, string | number>>;
  readonly metricName?: string;
}

export async function snapshot(metrics: PlatformMetrics): Promise<MetricSnapshot> {
  const [ingested, rejects, auth, connected, latency, storedByStore, rejectsByStore, byStore] =
    await Promise.all([
      metrics.ingested.get(),
      metrics.rejects.get(),
      metrics.authFailures.get(),
      metrics.connectedDevices.get(),
      metrics.publishToStored.get(),
      metrics.storedByStore.get(),
      metrics.rejectsByStore.get(),
      metrics.connectedByStore.get(),
    ]);
  const sum = (values: readonly Value[]) => values.reduce((n, v) => n + v.value, 0);
  const rejectsByReason = byLabel(rejects.values as Value[], 'reason');
  const buckets = (latency.values as Value[]).filter((v) => v.metricName?.endsWith('_bucket'));
  return {
    stored: sum((ingested.values as Value[]).filter((v) => v.labels['outcome'] === 'stored')),
    rejectsByReason,
    authFailures: sum(auth.values as Value[]),
    authFailuresByStage: byLabel(auth.values as Value[], 'stage'),
    connectedDevices: sum(connected.values as Value[]),
    latency: {
      bounds: buckets.map((v) => (v.labels['le'] === '+Inf' ? Infinity : Number(v.labels['le']))),
      counts: buckets.map((v) => v.value),
    },
    storedByStore: perStore(storedByStore.values as Value[]),
    rejectsByStore: perStore(rejectsByStore.values as Value[]),
    connectedByStore: perStore(byStore.values as Value[]),
  };
}

/** Values summed by their store label (device classes added together). */
function perStore(values: readonly Value[]): Record<string, number> {
  return byLabel(values, 'store');
}

/** Values summed by one label, the others added together. */
function byLabel(values: readonly Value[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const key = String(v.labels[label] ?? 'unknown');
    out[key] = (out[key] ?? 0) + v.value;
  }
  return out;
}

/** An empty snapshot: what a freshly started platform's metrics hold. */
export function zeroSnapshot(): MetricSnapshot {
  return {
    stored: 0,
    rejectsByReason: {},
    authFailures: 0,
    authFailuresByStage: {},
    connectedDevices: 0,
    latency: { bounds: [], counts: [] },
    storedByStore: {},
    rejectsByStore: {},
    connectedByStore: {},
  };
}

/**
 * What happened between two snapshots. Counters only grow; one that went down was reset (a
 * new registry), and then everything it holds happened since.
 */
export function sampleBetween(
  before: MetricSnapshot,
  after: MetricSnapshot,
  at: number,
  intervalMs: number,
): MetricSample {
  const rejectsByReason = deltas(before.rejectsByReason, after.rejectsByReason);
  const latency = bucketDelta(before.latency, after.latency);
  const ms = (q: number) => {
    const seconds = quantile(latency, q);
    return seconds === null ? null : seconds * 1000;
  };
  return {
    at,
    intervalMs,
    stored: delta(before.stored, after.stored),
    rejectsByReason,
    connectedDevices: after.connectedDevices,
    publishToStoredP50Ms: ms(0.5),
    publishToStoredP95Ms: ms(0.95),
    publishToStoredP99Ms: ms(0.99),
    authFailures: delta(before.authFailures, after.authFailures),
    authFailuresByStage: deltas(before.authFailuresByStage, after.authFailuresByStage),
    byStore: storesBetween(before, after),
  };
}

/** Each store's interval; stores with nothing stored, rejected or connected are left out. */
function storesBetween(before: MetricSnapshot, after: MetricSnapshot): Record<string, StoreSample> {
  const stores = new Set([
    ...Object.keys(after.storedByStore),
    ...Object.keys(after.rejectsByStore),
    ...Object.keys(after.connectedByStore),
  ]);
  const out: Record<string, StoreSample> = {};
  for (const store of stores) {
    const sample = {
      stored: delta(before.storedByStore[store] ?? 0, after.storedByStore[store] ?? 0),
      rejected: delta(before.rejectsByStore[store] ?? 0, after.rejectsByStore[store] ?? 0),
      connectedDevices: after.connectedByStore[store] ?? 0,
    };
    if (sample.stored > 0 || sample.rejected > 0 || sample.connectedDevices > 0)
      out[store] = sample;
  }
  return out;
}

/** Per-key deltas of counters, only the keys that moved. */
function deltas(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) {
    const d = delta(before[key] ?? 0, n);
    if (d > 0) out[key] = d;
  }
  return out;
}

function delta(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/** The observations of the interval alone, bucket by bucket (same bounds, or a reset). */
export function bucketDelta(before: Buckets, after: Buckets): Buckets {
  const same =
    before.bounds.length === after.bounds.length &&
    before.bounds.every((b, i) => b === after.bounds[i]);
  const reset = !same || after.counts.some((c, i) => c < (before.counts[i] ?? 0));
  if (reset) return after;
  return { bounds: after.bounds, counts: after.counts.map((c, i) => c - before.counts[i]!) };
}

/**
 * The q-quantile of cumulative buckets, as Prometheus's histogram_quantile estimates it: find the
 * bucket holding the rank and interpolate linearly inside it (the first bucket starts at 0). A
 * rank in the +Inf bucket answers the highest finite bound, the most the buckets can say. Null
 * when there were no observations.
 */
export function quantile(buckets: Buckets, q: number): number | null {
  const { bounds, counts } = buckets;
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count < rank) continue;
    const upper = bounds[i]!;
    if (upper === Infinity) return i === 0 ? null : bounds[i - 1]!;
    const lower = i === 0 ? 0 : bounds[i - 1]!;
    const below = i === 0 ? 0 : counts[i - 1]!;
    const inBucket = count - below;
    return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
  }
  return null;
}
