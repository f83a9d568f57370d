// Publish-to-PUBACK latencies kept as counts in logarithmic buckets (2 % wide), so the load
// process can send each 10-second window's whole distribution to the parent in a few hundred
// numbers, and the parent can merge windows into thirds of the run and read their percentiles
// (a p99 of window p99s is not the p99 of the third).

const GROWTH = 1.02;
const FLOOR_MS = 0.05;

/** Bucket index of a latency; everything at or below 0.05 ms shares bucket 0. */
export function bucketOf(ms: number): number {
  if (!(ms > FLOOR_MS)) return 0;
  return Math.ceil(Math.log(ms / FLOOR_MS) / Math.log(GROWTH));
}

/** The upper edge of a bucket in ms: a percentile read from the histogram is at most 2 % high. */
export function bucketUpperMs(bucket: number): number {
  return FLOOR_MS * GROWTH ** bucket;
}

/** Bucket index → count, sparse. */
export type LatencyHistogram = Record<number, number>;

export function record(histogram: LatencyHistogram, ms: number): void {
  const b = bucketOf(ms);
  histogram[b] = (histogram[b] ?? 0) + 1;
}

export function merge(histograms: readonly LatencyHistogram[]): LatencyHistogram {
  const out: LatencyHistogram = {};
  for (const h of histograms)
    for (const [b, n] of Object.entries(h)) out[Number(b)] = (out[Number(b)] ?? 0) + n;
  return out;
}

export function count(histogram: LatencyHistogram): number {
  return Object.values(histogram).reduce((a, n) => a + n, 0);
}

/** The p-th percentile (0–100) in ms, as the upper edge of its bucket; 0 when empty. */
export function percentileMs(histogram: LatencyHistogram, p: number): number {
  const total = count(histogram);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const b of Object.keys(histogram)
    .map(Number)
    .sort((x, y) => x - y)) {
    seen += histogram[b]!;
    if (seen >= rank) return bucketUpperMs(b);
  }
  return bucketUpperMs(Math.max(...Object.keys(histogram).map(Number)));
}
