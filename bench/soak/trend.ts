// The soak benchmark's verdicts: a least-squares slope per sampled series, and the three checks
// of issue 20 (no resident-memory growth after warm-up, no latency drift, file descriptors flat)
// with their bounds stated here once, so the report, the decision (053) and the test agree.

export interface Point {
  /** Seconds since the load started. */
  readonly t: number;
  readonly value: number;
}

/** The least-squares line through the points: value = intercept + slope × t (slope per second). */
export function leastSquares(points: readonly Point[]): { slope: number; intercept: number } {
  if (points.length < 2) throw new Error('a trend needs at least two samples');
  const n = points.length;
  const meanT = points.reduce((a, p) => a + p.t, 0) / n;
  const meanV = points.reduce((a, p) => a + p.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.t - meanT) * (p.value - meanV);
    variance += (p.t - meanT) ** 2;
  }
  if (variance === 0) throw new Error('a trend needs samples at two different times at least');
  const slope = covariance / variance;
  return { slope, intercept: meanV - slope * meanT };
}

/** Slope per hour of the points at or after `fromT`. */
export function slopePerHour(points: readonly Point[], fromT = 0): number {
  return leastSquares(points.filter((p) => p.t >= fromT)).slope * 3600;
}

/**
 * The bounds. Resident memory: 50 MB an hour is a leak of under 30 bytes a message at the PRD's
 * peak (513 messages a second), and about four standard errors of the slope that ±20 MB of
 * collector noise leaves over a 25-minute fit of 150 samples — a real leak shows, noise does not.
 * Latency: the last third's p99 at most 1.5 × the first third's, plus 5 ms so that a 4 ms p99
 * turning 7 ms (timer jitter on a shared machine) is not called drift. Descriptors: the fitted line
 * rises at most 16 over the run after warm-up, and the last minute's median is at most 16 above
 * the first minute's.
 */
export const SOAK_BOUNDS = {
  rssMbPerHour: 50,
  p99Factor: 1.5,
  p99SlackMs: 5,
  fdAboveWarmup: 16,
} as const;

export interface Check {
  readonly name: string;
  readonly pass: boolean;
  readonly figure: string;
  readonly bound: string;
}

export interface SoakSeries {
  /** Resident memory in MB. */
  readonly rssMb: readonly Point[];
  /** Open file descriptors. */
  readonly fds: readonly Point[];
}

export function memoryCheck(series: SoakSeries, warmupSeconds: number): Check {
  const slope = slopePerHour(series.rssMb, warmupSeconds);
  return {
    name: 'no resident-memory growth after warm-up',
    pass: slope < SOAK_BOUNDS.rssMbPerHour,
    figure: `${slope.toFixed(1)} MB/h`,
    bound: `< ${SOAK_BOUNDS.rssMbPerHour} MB/h`,
  };
}

/** `firstP99Ms` and `lastP99Ms`: the p99 over every message of the first and last third after warm-up. */
export function latencyCheck(firstP99Ms: number, lastP99Ms: number): Check {
  const limit = firstP99Ms * SOAK_BOUNDS.p99Factor + SOAK_BOUNDS.p99SlackMs;
  return {
    name: 'no latency drift (p99, last third vs first third)',
    pass: lastP99Ms <= limit,
    figure: `${lastP99Ms.toFixed(1)} ms vs ${firstP99Ms.toFixed(1)} ms`,
    bound: `≤ ${limit.toFixed(1)} ms (× ${SOAK_BOUNDS.p99Factor} + ${SOAK_BOUNDS.p99SlackMs} ms)`,
  };
}

export function descriptorCheck(series: SoakSeries, warmupSeconds: number): Check {
  const after = series.fds.filter((p) => p.t >= warmupSeconds);
  // A minute of samples at each end, by median: a descriptor open for one sample (a checkpoint
  // file, the /metrics request itself) is not growth; one kept open is.
  const atWarmup = median(after.slice(0, 6).map((p) => p.value));
  const atEnd = median(after.slice(-6).map((p) => p.value));
  // The fitted line's rise over the span it covers, not its slope per hour: a few descriptors of
  // jitter in a 3-minute check would read as hundreds an hour.
  const span = (after.at(-1)?.t ?? 0) - (after[0]?.t ?? 0);
  const rise = (slopePerHour(after) * span) / 3600;
  return {
    name: 'file descriptors flat',
    pass:
      Math.abs(rise) <= SOAK_BOUNDS.fdAboveWarmup && atEnd - atWarmup <= SOAK_BOUNDS.fdAboveWarmup,
    figure: `fitted rise ${rise.toFixed(1)}, ${atWarmup} after warm-up, ${atEnd} at the end`,
    bound: `rise and end each ≤ ${SOAK_BOUNDS.fdAboveWarmup} above`,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Every message acknowledged and no held connection closed by the broker: a soak that sheds
 * carts (each would reconnect and resend) is not a steady state, whatever its memory does.
 */
export function deliveryCheck(run: {
  sent: number;
  unacknowledged: number;
  dropped: number;
}): Check {
  return {
    name: 'every message acknowledged, no connection dropped',
    pass: run.unacknowledged === 0 && run.dropped === 0,
    figure: `${run.unacknowledged} of ${run.sent} unacknowledged, ${run.dropped} dropped`,
    bound: '0 and 0',
  };
}

/** Warm-up excluded from the memory and descriptor fits: a sixth of the run, at most 5 minutes. */
export function warmupSeconds(runSeconds: number): number {
  return Math.min(300, runSeconds / 6);
}
