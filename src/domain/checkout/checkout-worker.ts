import type { EntityStore, IngestedEvent } from '../../stores/entities/entity-store.js';
import type { Logger } from '../../shared/observability/logger.js';

export interface CheckoutWorkerOptions {
  readonly entities: Pick<EntityStore, 'getCheckout' | 'listCheckoutWork'>;
  readonly reconcile: (sessionId: string) => Promise<unknown>;
  readonly log: Logger;
  readonly now?: () => number;
  /** How often to look for retries that are due. */
  readonly intervalMs?: number;
  /** How often to look for complete sessions that were never reconciled, and how far back. */
  readonly sweepEveryMs?: number;
  readonly sweepWindowMs?: number;
  /**
   * A session that ended this recently is the listener's; the sweep leaves it alone, except the
   * first sweep after start, which takes everything unreconciled.
   */
  readonly sweepGraceMs?: number;
  /** Reconciliations at once: each may wait on the payment service. */
  readonly concurrency?: number;
  readonly batch?: number;
}

const MAX_IDLE_MS = 5 * 60_000;

/**
 * Reconciles checkouts off the projection path (decision 018). Three sources of work:
 *
 * - the projector's applied events: a complete session-end that came over MQTT (the cart was
 *   offline at the till) and has no checkout yet; queued, so a slow payment service never holds
 *   projection back;
 * - payment-unavailable checkouts whose retry time has come (each backs off on its own);
 * - a sweep for complete sessions with no checkout at all, which is what a stop between
 *   projecting a session-end and reconciling it leaves behind: at start (every such session,
 *   the ones that ended a moment before the stop too), then periodically.
 *
 * A failing store backs the loop off (doubling up to five minutes); stop() waits for the round
 * in hand.
 */
export class CheckoutWorker {
  readonly #now: () => number;
  readonly #queue = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #started = false;
  #closing = false;
  #failures = 0;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: CheckoutWorkerOptions) {
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    if (this.#started || this.#closing) return;
    this.#started = true;
    this.#kick();
  }

  async stop(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    await this.#round;
  }

  /** An EntityProjector listener: queue complete session-ends, return at once. */
  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    let queued = false;
    for (const { message } of events) {
      if (message.type === 'session-end' && message.status === 'complete') {
        this.#queue.add(message.session_id);
        queued = true;
      }
    }
    if (queued) this.#kick();
  };

  /** Runs one round now (tests); resolves when it is done. */
  async runOnce(): Promise<void> {
    await this.#round;
    await this.#work();
  }

  #kick(): void {
    if (!this.#started || this.#closing || this.#round) return;
    clearTimeout(this.#timer);
    this.#round = this.#work().finally(() => {
      this.#round = undefined;
      if (this.#queue.size > 0) this.#kick();
      else this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#closing) return;
    const interval = this.options.intervalMs ?? 5000;
    const delay = Math.min(MAX_IDLE_MS, interval * 2 ** Math.min(this.#failures, 16));
    this.#timer = setTimeout(() => this.#kick(), delay);
    this.#timer.unref();
  }

  async #work(): Promise<void> {
    const { entities, log } = this.options;
    const queued = [...this.#queue];
    this.#queue.clear();
    const fresh: string[] = [];
    for (const sessionId of queued) {
      // Already reconciled (the device's POST did it), or waiting for its retry time.
      const known = await entities.getCheckout({ sessionId }).catch(() => undefined);
      if (!known) fresh.push(sessionId);
    }
    let due: string[] = [];
    try {
      const now = this.#now();
      const sweep = now - this.#lastSweep >= (this.options.sweepEveryMs ?? 5 * 60_000);
      const window = this.options.sweepWindowMs ?? 86_400_000;
      const grace = this.options.sweepGraceMs ?? 60_000;
      const first = this.#lastSweep === Number.NEGATIVE_INFINITY;
      // The first sweep has no grace: what ended before this start is in no listener's hands. A
      // stop between projecting a session-end and reconciling it (a crash while the device API
      // had its checkout in hand) would otherwise wait for the next sweep, minutes away. Its
      // upper bound is a window ahead, since `ended_at` is the cart's clock, which may run fast.
      const before = first ? now + window : now - grace;
      due = await entities.listCheckoutWork({
        due: now,
        endedAfter: sweep ? now - grace - window : before,
        endedBefore: before,
        limit: this.options.batch ?? 100,
      });
      if (sweep) this.#lastSweep = now;
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      log.error({ err: error }, 'could not list checkouts to reconcile');
    }
    await this.#reconcileAll([...new Set([...fresh, ...due])]);
  }

  async #reconcileAll(sessionIds: readonly string[]): Promise<void> {
    const next = [...sessionIds];
    const worker = async () => {
      for (let id = next.shift(); id !== undefined; id = next.shift()) {
        if (this.#closing) return;
        try {
          await this.options.reconcile(id);
        } catch (error) {
          this.options.log.error({ session_id: id, err: error }, 'checkout reconciliation failed');
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 4 }, worker));
  }
}
