/**
 * The console's metric charts (decision 023) read through this port: the embedded platform keeps
 * its own samples in SQLite (SqliteMetricHistory); a deployment with Prometheus can answer the
 * same questions from there (issue 18) by implementing the reader.
 */
export const HISTORY_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000 } as const;
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
  readonly publishToStoredP99Ms: number | null;
  /** Connections refused (TLS handshake, admission, device API). */
  readonly authFailures: number;
}

/** One point of a chart: counts as rates per minute, whatever the sampling interval. */
export interface MetricPoint {
  readonly at: string;
  readonly storedPerMinute: number;
  readonly rejectedPerMinute: number;
  readonly rejectsPerMinute: Readonly<Record<string, number>>;
  readonly connectedDevices: number;
  readonly publishToStoredP50Ms: number | null;
  readonly publishToStoredP99Ms: number | null;
  readonly authFailuresPerMinute: number;
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

export interface MetricHistoryReader {
  read(window: HistoryWindow, now: number): Promise<MetricHistory>;
}

/** A stored sample as a chart point. */
export function toPoint(sample: MetricSample): MetricPoint {
  const perMinute = (n: number) => (n * 60_000) / sample.intervalMs;
  const rejects = Object.fromEntries(
    Object.entries(sample.rejectsByReason).map(([reason, n]) => [reason, perMinute(n)]),
  );
  return {
    at: new Date(sample.at).toISOString(),
    storedPerMinute: perMinute(sample.stored),
    rejectedPerMinute: perMinute(Object.values(sample.rejectsByReason).reduce((a, b) => a + b, 0)),
    rejectsPerMinute: rejects,
    connectedDevices: sample.connectedDevices,
    publishToStoredP50Ms: sample.publishToStoredP50Ms,
    publishToStoredP99Ms: sample.publishToStoredP99Ms,
    authFailuresPerMinute: perMinute(sample.authFailures),
  };
}
