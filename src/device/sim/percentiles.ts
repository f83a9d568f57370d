/** Latency figures of one kind of sample, in real milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** Nearest-rank percentiles; null when there are no samples (an offline phase that never ran). */
export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: null, p99: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]!),
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
