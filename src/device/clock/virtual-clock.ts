import type { SimClock, SimTimer } from './sim-clock.js';

interface Pending {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

/**
 * Discrete-event time: nothing passes until `runUntil` jumps from one timer to the next, after
 * letting what the last one started settle. Unlike ScaledClock, a busy host cannot stretch a
 * simulated duration, so a test that must end where a model says (a 12-hour shift) does.
 * Real I/O still takes real time; the run waits a real moment between events for it.
 */
export class VirtualClock implements SimClock {
  /** Unbounded: simulated time does not follow real time at all. */
  readonly speed = Number.POSITIVE_INFINITY;
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(
    start = Date.now(),
    /** Real ms to let I/O started by an event finish before the next event. */
    private readonly settleMs = 1,
  ) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = this.after(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        timer.cancel();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  after(ms: number, fn: () => void): SimTimer {
    const pending: Pending = {
      at: this.#now + Math.max(0, ms),
      seq: this.#seq++,
      fire: fn,
      cancelled: false,
    };
    this.#pending.push(pending);
    return { cancel: () => void (pending.cancelled = true) };
  }

  every(ms: number, fn: () => void): SimTimer {
    let current: SimTimer | undefined;
    let cancelled = false;
    const arm = (at: number) => {
      current = this.after(at - this.#now, () => {
        if (cancelled) return;
        arm(at + ms);
        fn();
      });
    };
    arm(this.#now + ms);
    return {
      cancel: () => {
        cancelled = true;
        current?.cancel();
      },
    };
  }

  /**
   * Runs events in time order up to `until` (simulated ms since the epoch). While `busy()` says
   * the driving script is doing real work (a TLS handshake, a file write), time only steps to
   * events at most `busyStepMs` ahead (a scanner read, a radio's latency), so the script's own
   * schedule is not overtaken by a jump to a far-off timer.
   */
  async runUntil(
    until: number,
    options: { busy?: () => boolean; busyStepMs?: number } = {},
  ): Promise<void> {
    const busy = options.busy ?? (() => false);
    const step = options.busyStepMs ?? 5000;
    for (;;) {
      await this.#settle();
      this.#pending = this.#pending.filter((p) => !p.cancelled);
      this.#pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#pending[0];
      if (busy() && (!next || next.at - this.#now > step)) continue;
      if (!next || next.at > until) break;
      this.#pending.shift();
      this.#now = Math.max(this.#now, next.at);
      next.fire();
    }
    this.#now = Math.max(this.#now, until);
    await this.#settle();
  }

  async #settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, this.settleMs));
  }
}
