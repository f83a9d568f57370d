/** A pending timer on a SimClock; cancel is safe to call twice or after it fired. */
export interface SimTimer {
  cancel(): void;
}

/**
 * Simulated time for the device model. Everything a cart does with time goes through one of
 * these, so a 12-hour shift or a week of a store can run in seconds: simulated milliseconds pass
 * `speed` times faster than real ones. Time is the true time of the simulated world; a cart with a
 * wrong clock adds its own skew on top (see CartClock).
 */
export interface SimClock {
  /** How many simulated milliseconds pass per real one. */
  readonly speed: number;
  /** Simulated time, ms since the epoch. */
  now(): number;
  /** Resolves after `ms` simulated milliseconds; rejects with the signal's reason if aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` once after `ms` simulated milliseconds. */
  after(ms: number, fn: () => void): SimTimer;
  /** Calls `fn` every `ms` simulated milliseconds until cancelled. */
  every(ms: number, fn: () => void): SimTimer;
}

export interface ScaledClockOptions {
  /** Simulated time at creation (default: the real time now). */
  readonly start?: number;
  /** Simulated ms per real ms (default 1: real time). */
  readonly speed?: number;
  /** Real monotonic time in ms; injectable for tests. */
  readonly realNow?: () => number;
}

/**
 * Simulated time that runs at a fixed multiple of real time. Timers are real timers scaled down,
 * so network I/O and simulated waits interleave as they would in the field, only faster. Node's
 * timers have 1 ms resolution: at speed 3600 a real millisecond is 3.6 simulated seconds, which is
 * why the cart reads `now()` for durations instead of counting timer ticks.
 */
export class ScaledClock implements SimClock {
  readonly speed: number;
  readonly #start: number;
  readonly #realStart: number;
  readonly #realNow: () => number;

  constructor(options: ScaledClockOptions = {}) {
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new RangeError(`speed must be > 0: ${speed}`);
    this.speed = speed;
    this.#realNow = options.realNow ?? (() => performance.now());
    this.#realStart = this.#realNow();
    this.#start = options.start ?? Date.now();
  }

  now(): number {
    return Math.floor(this.#start + (this.#realNow() - this.#realStart) * this.speed);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, this.#real(ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  after(ms: number, fn: () => void): SimTimer {
    const timer = setTimeout(fn, this.#real(ms));
    return { cancel: () => clearTimeout(timer) };
  }

  every(ms: number, fn: () => void): SimTimer {
    // Re-armed from simulated time so the period does not drift with timer lateness.
    let next = this.now() + ms;
    let timer: NodeJS.Timeout;
    let cancelled = false;
    const arm = () => {
      timer = setTimeout(
        () => {
          if (cancelled) return;
          next += ms;
          arm();
          fn();
        },
        this.#real(Math.max(0, next - this.now())),
      );
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        clearTimeout(timer);
      },
    };
  }

  #real(simMs: number): number {
    return Math.max(0, simMs / this.speed);
  }
}
