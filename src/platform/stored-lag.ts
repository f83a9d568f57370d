/** Upper bounds (ms) of the buckets; the last bucket takes everything above. */
export const STORED_LAG_BOUNDS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000,
] as const;

/**
 * How long stored messages took from the device's clock (its `ts`) to the durable write, in
 * fixed buckets: what an ingest process reports on /healthz, so whoever watches N processes can
 * add their counts up and diff two readings (bench:scale does) without a metrics server.
 */
export class StoredLag {
  readonly counts: number[] = STORED_LAG_BOUNDS_MS.map(() => 0).concat(0);

  record(lagMs: number): void {
    const i = STORED_LAG_BOUNDS_MS.findIndex((bound) => lagMs <= bound);
    this.counts[i === -1 ? STORED_LAG_BOUNDS_MS.length : i]! += 1;
  }

  report(): { bounds_ms: readonly number[]; counts: readonly number[] } {
    return { bounds_ms: STORED_LAG_BOUNDS_MS, counts: [...this.counts] };
  }
}

/** The bound below which `p` of the counted lags fall (Infinity: the overflow bucket). */
export function lagPercentile(counts: readonly number[], p: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    seen += n;
    if (seen >= p * total) return STORED_LAG_BOUNDS_MS[i] ?? Infinity;
  }
  return Infinity;
}
