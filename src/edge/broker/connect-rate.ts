/** How often one device may connect: a burst, then a steady rate. */
export interface ConnectRate {
  readonly burst: number;
  readonly perMinute: number;
}

/**
 * A device that connects twenty times in a minute is broken or cloned (two devices with one
 * identity take each other's session over and over); either way each connect costs a handshake
 * and an admission. A token bucket per device id: `burst` connects at once, then `perMinute`.
 * A fleet coming back after an outage connects once each and never notices.
 */
export const DEFAULT_CONNECT_RATE: ConnectRate = { burst: 20, perMinute: 20 };

interface Bucket {
  tokens: number;
  at: number;
}

export class ConnectRateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly rate: ConnectRate = DEFAULT_CONNECT_RATE,
    private readonly maxDevices = 200_000,
  ) {}

  /** Takes one connect for `deviceId` at `now`; false when it has none left. */
  take(deviceId: string, now: number): boolean {
    const { burst, perMinute } = this.rate;
    let bucket = this.#buckets.get(deviceId);
    if (bucket) {
      // A host clock stepped back gives no negative refill (it would lock the device out).
      bucket.tokens = Math.min(
        burst,
        bucket.tokens + (Math.max(0, now - bucket.at) * perMinute) / 60_000,
      );
      bucket.at = now;
    } else {
      if (this.#buckets.size >= this.maxDevices) this.#forgetFull(now);
      bucket = { tokens: burst, at: now };
      this.#buckets.set(deviceId, bucket);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Buckets refilled to the brim are the same as none: drop them (and, if need be, the oldest). */
  #forgetFull(now: number): void {
    const { burst, perMinute } = this.rate;
    for (const [id, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) * perMinute) / 60_000 >= burst) this.#buckets.delete(id);
    }
    if (this.#buckets.size >= this.maxDevices) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }
}
