/** How fast one device may publish: a burst, then a steady rate. */
export interface MessageRate {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * A cart's busiest moment is a customer scanning, about one message a second, with a health
 * report a minute (docs/protocol.md; the PRD's traffic); 20 a second is ten times that. The burst
 * is a store-and-forward replay: an hour offline is about 60 health reports and a few sessions
 * of 30–80 scans, well under 1,000, so a cart coming back from an outage replays at full speed.
 * AWS IoT Core caps a connection at 100 publishes a second; this cap is tighter because no cart
 * comes near it.
 */
export const DEFAULT_MESSAGE_RATE: MessageRate = { perSecond: 20, burst: 1_000 };

interface Bucket {
  tokens: number;
  at: number;
  /** Over its rate since this episode began; cleared once the bucket is full again. */
  limited: boolean;
}

/** What `take` decided. */
export type MessageRateVerdict =
  | { readonly waitMs: 0 }
  /** `episodeStarted`: the first wait since the device was last within its rate. */
  | { readonly waitMs: number; readonly episodeStarted: boolean };

const TAKEN: MessageRateVerdict = Object.freeze({ waitMs: 0 });

/**
 * A token bucket per device id, bounded to `maxDevices` buckets (those refilled to the brim are
 * forgotten first: a full bucket is the same as none). An episode runs from the first wait until
 * the device has been within its rate long enough to fill its bucket again, so a device that
 * floods for an hour hears about it once.
 */
export class MessageRateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly rate: MessageRate = DEFAULT_MESSAGE_RATE,
    private readonly maxDevices = 200_000,
  ) {
    if (!(rate.perSecond > 0) || !(rate.burst >= 1)) {
      throw new Error(
        `a message rate needs perSecond > 0 and burst >= 1, got ${rate.perSecond}/s, burst ${rate.burst}`,
      );
    }
  }

  /** Takes one message for `deviceId` at `now`, or says how long until one may be taken. */
  take(deviceId: string, now: number): MessageRateVerdict {
    const { burst, perSecond } = this.rate;
    let bucket = this.#buckets.get(deviceId);
    if (bucket) {
      // A host clock stepped back (NTP) gives no negative refill: that would pause the device for as
      // long as the step.
      bucket.tokens = Math.min(
        burst,
        bucket.tokens + (Math.max(0, now - bucket.at) * perSecond) / 1_000,
      );
      bucket.at = now;
      if (bucket.tokens >= burst) bucket.limited = false;
    } else {
      if (this.#buckets.size >= this.maxDevices) this.#forgetFull(now);
      bucket = { tokens: burst, at: now, limited: false };
      this.#buckets.set(deviceId, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return TAKEN;
    }
    const episodeStarted = !bucket.limited;
    bucket.limited = true;
    // At least 1 ms: a timer cannot wait less, and 0 would mean "taken".
    const waitMs = Math.max(1, Math.ceil(((1 - bucket.tokens) * 1_000) / perSecond));
    return { waitMs, episodeStarted };
  }

  #forgetFull(now: number): void {
    const { burst, perSecond } = this.rate;
    for (const [id, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) * perSecond) / 1_000 >= burst) this.#buckets.delete(id);
    }
    if (this.#buckets.size >= this.maxDevices) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }
}
