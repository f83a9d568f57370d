/**
 * Requests per claim certificate, as a token bucket: a factory's claim is shared by a whole
 * production run, so the limit is per claim, generous for a line and tight for someone who has
 * copied the claim key and tries serials. In memory: a restart refills every bucket.
 */
export class ClaimRateLimit {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst = 50,
    private readonly perSecond = 10,
  ) {}

  /** True when one more request under `claimId` may go through now (and takes a token). */
  take(claimId: string, now: number): boolean {
    const bucket = this.#buckets.get(claimId) ?? { tokens: this.burst, at: now };
    const refilled = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond,
    );
    const ok = refilled >= 1;
    this.#buckets.set(claimId, { tokens: ok ? refilled - 1 : refilled, at: now });
    return ok;
  }
}
