/** How the dispatcher retries (issue 18): exponential backoff with jitter, bounded attempts. */
export interface RetryPolicy {
  /** The wait before the second attempt, before jitter. */
  readonly baseDelayMs: number;
  /** No wait is longer than this, before jitter. */
  readonly maxDelayMs: number;
  /** After this many attempts without a 2xx the delivery is failed. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 10,
};

/**
 * The wait after `attempts` failed attempts: base × 2^(attempts-1), capped, then scaled into
 * [½, 1) of itself by `random` ("equal jitter"). Receivers that fell over together do not all get
 * their retries in the same second, and no gap is shorter than the one before it (below the
 * cap): the lowest of one step is the highest of the step before.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(exponential, policy.maxDelayMs);
  return Math.round(capped * (0.5 + random() / 2));
}
