import type { Logger } from '../../shared/observability/logger.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import { retryDelayMs } from '../webhooks/webhook-backoff.js';
import { attemptDelivery } from './delivery-attempt.js';
import { DEAD_LETTER_AFTER, refusesContent } from './integration-dead-letter.js';
import type { IntegrationLog } from './integration-log.js';
import { matches } from './integration-match.js';
import type { IntegrationRetry } from './integration-retry.js';
import type { Integration } from './integration-schema.js';
import { outboundEvent } from './outbound-event.js';
import type { Sink } from './sink.js';

export interface RunnerOptions {
  readonly integration: Integration;
  readonly sink: Sink;
  readonly log: IntegrationLog;
  readonly telemetry: Pick<TelemetryStore, 'eventsAfter'>;
  readonly retry: IntegrationRetry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  /** How often an idle runner looks at the feed; a projected batch wakes it sooner. */
  readonly pollMs: number;
  readonly pageSize?: number;
  readonly counted: (outcome: 'delivered' | 'failed' | 'dead-lettered') => void;
}

/**
 * One integration reading the telemetry change feed from its own cursor. Events that match are
 * delivered one at a time, in feed order; the cursor moves past an event only once the sink
 * acknowledged it (or it did not match), so a stop or crash at any point delivers it again
 * after the restart, never skips it. A failing event is retried without end (see
 * integration-retry.ts): skipping it would break the order receivers rely on. The one exception
 * is opt-in: with `onRefused: dead-letter`, an event whose content a webhook receiver refuses
 * DEAD_LETTER_AFTER times in a row is parked and the integration goes on.
 */
export class IntegrationRunner {
  readonly #o: RunnerOptions;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  readonly #stopping = new AbortController();
  /** The cursor as last written, for the lag gauge without a read per scrape. */
  cursor: number;

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.cursor = options.log.position(options.integration.id).cursor;
  }

  get id(): string {
    return this.#o.integration.id;
  }

  start(): void {
    this.#running = true;
    this.#loop ??= this.#run();
  }

  /** New events were stored: look now rather than at the next poll. */
  wake(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping.abort();
    this.#wake?.();
    // Closing the sink cuts a request in flight short; its event is delivered after a restart.
    await this.#o.sink.close();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let moved = 0;
      try {
        moved = await this.#step();
      } catch (error) {
        this.#o.logger.error({ err: error, integration: this.id }, 'integration step failed');
      }
      if (moved === 0 && this.#running) await this.#idle(this.#o.pollMs, true);
    }
  }

  /** One page of the feed; returns how many events it moved past. */
  async #step(): Promise<number> {
    const { integration, log } = this.#o;
    const events = await this.#o.telemetry.eventsAfter(this.cursor, this.#o.pageSize ?? 200);
    let moved = 0;
    for (const event of events) {
      if (matches(integration.match, event) && !(await this.#deliver(event))) break;
      moved++;
      // Past a delivered event at once; past events that did not match, at the page's end.
      if (moved === events.length || matches(integration.match, event)) {
        log.advance(integration.id, event.seq);
        this.cursor = event.seq;
      }
    }
    return moved;
  }

  /** Delivers until acknowledged or parked; false only when the runner stops first. */
  async #deliver(event: Parameters<typeof outboundEvent>[0]): Promise<boolean> {
    const { integration, log, retry } = this.#o;
    const outbound = outboundEvent(event);
    let failures = log.position(integration.id).consecutiveFailures;
    let refusals = 0;
    while (this.#running) {
      const { result, attempt } = await attemptDelivery(
        this.#o.sink,
        outbound,
        event.seq,
        this.#o.now,
      );
      if (!this.#running && !result.ok) return false;
      const { status, error } = attempt;
      log.record(integration.id, attempt);
      this.#o.counted(attempt.outcome);
      if (result.ok) return true;
      refusals = refusesContent(result) ? refusals + 1 : 0;
      if (integration.onRefused === 'dead-letter' && refusals >= DEAD_LETTER_AFTER) {
        log.deadLetter(integration.id, {
          ...{ seq: event.seq, deliveryId: outbound.id, at: this.#o.now() },
          ...{ status, error: result.error, refusals },
        });
        this.#o.counted('dead-lettered');
        this.#o.logger.warn(
          { integration: integration.id, deliveryId: outbound.id, seq: event.seq, status },
          `integration parked an event its receiver refused ${refusals} times (${result.error}); going on`,
        );
        return true;
      }
      failures++;
      if (failures === retry.failingAfter) {
        this.#o.logger.warn(
          { integration: integration.id, deliveryId: outbound.id, error },
          `integration failing: ${failures} deliveries in a row refused; retrying every ${retry.maxDelayMs / 1000} s at most`,
        );
      }
      await this.#idle(retryDelayMs(failures, retry, this.#o.random), false);
    }
    return false;
  }

  /** Sleeps `ms`; new events cut it short only when `wakeable` (never a retry's backoff). */
  #idle(ms: number, wakeable: boolean): Promise<void> {
    if (this.#stopping.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#stopping.signal.removeEventListener('abort', done);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#stopping.signal.addEventListener('abort', done);
      if (wakeable) this.#wake = done;
    });
  }
}
