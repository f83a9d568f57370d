/**
 * The console's metric charts (decision 023) read through this port: the embedded platform keeps
 * its own samples in SQLite (SqliteMetricHistory); a deployment with Prometheus can answer the
 * same questions from there (issue 18) by implementing the reader.
 */
export const HISTORY_WINDOWS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
} as const;
export type HistoryWindow = keyof typeof HISTORY_WINDOWS;

/** One interval's worth, as sampled: counts over the interval, the gauge at its end. */
export interface MetricSample {
  /** End of the interval (ms since epoch). */
  readonly at: number;
  readonly intervalMs: number;
  /** Messages durably stored. */
  readonly stored: number;
  /** Messages refused, with the reason devices were told on devices/errors/<id>. */
  readonly rejectsByReason: Readonly<Record<string, number>>;
  /** Devices connected to the embedded broker at the end of the interval. */
  readonly connectedDevices: number;
  /** Publish (device timestamp) to durable write over the interval; null when nothing was stored. */
  readonly publishToStoredP50Ms: number | null;
  readonly publishToStoredP95Ms: number | null;
  readonly publishToStoredP99Ms: number | null;
  /** Connections refused (TLS handshake, admission, device API). */
  readonly authFailures: number;
  /** The same by stage: tls, admission, device-api-tls, device-api. */
  readonly authFailuresByStage: Readonly<Record<string, number>>;
  /**
   * The same interval per store label (capped: at most 200 stores and `other`); only stores with
   * something to say (a message, a reject or a connected device) have an entry.
   */
  readonly byStore: Readonly<Record<string, StoreSample>>;
}

/** One store's part of a sample. */
export interface StoreSample {
  readonly stored: number;
  /** Rejects of any reason, replays included, as `rejectsByReason` sums them fleet-wide. */
  readonly rejected: number;
  readonly connectedDevices: number;
}

/** One point of a chart: counts as rates per minute, whatever the sampling interval. */
export interface MetricPoint {
  readonly at: string;
  /** The span the point covers: a rate × intervalMs / 60,000 is the count it came from. */
  readonly intervalMs: number;
  readonly storedPerMinute: number;
  readonly rejectedPerMinute: number;
  readonly rejectsPerMinute: Readonly<Record<string, number>>;
  readonly connectedDevices: number;
  readonly publishToStoredP50Ms: number | null;
  readonly publishToStoredP95Ms: number | null;
  readonly publishToStoredP99Ms: number | null;
  readonly authFailuresPerMinute: number;
  readonly authFailuresPerMinuteByStage: Readonly<Record<string, number>>;
}

/** One point of one store's chart: the figures that are cut by store. */
export interface StorePoint {
  readonly at: string;
  /** The span the point covers, as MetricPoint's. */
  readonly intervalMs: number;
  readonly storedPerMinute: number;
  readonly rejectedPerMinute: number;
  readonly connectedDevices: number;
}

export interface MetricHistory {
  readonly window: HistoryWindow;
  /** Where the points come from: 'embedded' (this platform's own samples) or another reader's. */
  readonly source: string;
  /** The sampling interval (ms). */
  readonly intervalMs: number;
  /** Oldest first. */
  readonly points: MetricPoint[];
}

/** One store's history: a point for every sampled interval, zero when the store had nothing. */
export interface StoreMetricHistory {
  readonly window: HistoryWindow;
  readonly source: string;
  readonly intervalMs: number;
  /** The store label asked for (a store past the cap is counted under `other`). */
  readonly store: string;
  readonly points: StorePoint[];
}

export interface MetricHistoryReader {
  read(window: HistoryWindow, now: number): Promise<MetricHistory>;
  readStore(window: HistoryWindow, now: number, store: string): Promise<StoreMetricHistory>;
}

/** A stored sample as a chart point. */
export function toPoint(sample: MetricSample): MetricPoint {
  const perMinute = (n: number) => (n * 60_000) / sample.intervalMs;
  const rejects = Object.fromEntries(
    Object.entries(sample.rejectsByReason).map(([reason, n]) => [reason, perMinute(n)]),
  );
  return {
    at: new Date(sample.at).toISOString(),
    intervalMs: sample.intervalMs,
    storedPerMinute: perMinute(sample.stored),
    rejectedPerMinute: perMinute(Object.values(sample.rejectsByReason).reduce((a, b) => a + b, 0)),
    rejectsPerMinute: rejects,
    connectedDevices: sample.connectedDevices,
    publishToStoredP50Ms: sample.publishToStoredP50Ms,
    publishToStoredP95Ms: sample.publishToStoredP95Ms,
    publishToStoredP99Ms: sample.publishToStoredP99Ms,
    authFailuresPerMinute: perMinute(sample.authFailures),
    authFailuresPerMinuteByStage: Object.fromEntries(
      Object.entries(sample.authFailuresByStage).map(([stage, n]) => [stage, perMinute(n)]),
    ),
  };
}

/** One store's figures of a sampled interval as a chart point. */
export function toStorePoint(at: number, intervalMs: number, store: StoreSample): StorePoint {
  const perMinute = (n: number) => (n * 60_000) / intervalMs;
  return {
    at: new Date(at).toISOString(),
    intervalMs,
    storedPerMinute: perMinute(store.stored),
    rejectedPerMinute: perMinute(store.rejected),
    connectedDevices: store.connectedDevices,
  };
}
