import type {
  EntityStore,
  IngestedEvent,
  SessionMerge,
} from '../../stores/entities/entity-store.js';
import { EntityFailure } from '../../stores/entities/errors.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import type { StoredEvent, TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import { toIngestedEvent } from './ingested-event.js';
import type { ProjectionLog } from './projection-log.js';

export interface EntityProjectorOptions {
  readonly batchSize?: number;
  /** Attempts per batch before its events are tried one by one and failures dead-lettered. */
  readonly attempts?: number;
  /** First retry delay; doubles each time. */
  readonly backoffMs?: number;
  /**
   * Longest wait between tries while the entity store is unreachable (its server restarting):
   * those tries do not count as attempts, so an outage parks nothing as a dead letter.
   */
  readonly maxOutageBackoffMs?: number;
  /** How often to look for new events when nobody calls `wake`. */
  readonly pollMs?: number;
  readonly now?: () => number;
  /**
   * Under load (the last batch held at least `gatherAbove` events), how long to let the next
   * batch gather unless a full one is waiting. A batch folds into one row per device (plan.ts),
   * so ten small batches cost the entity store nearly ten times one large one. Below that load
   * each batch is projected at once: the cloud's answers to a device (identify, transfer) wait
   * on projection, and a quiet store should not pay for folding it does not need.
   */
  readonly gatherMs?: number;
  readonly gatherAbove?: number;
  /** Most events held from `offer` while projection is behind; past it they are read back. */
  readonly recentLimit?: number;
}

/**
 * Told about events once the entity store holds them (a batch, the events of a failed batch that
 * applied one by one, or replayed dead letters), with the merges applying them made. A replay of
 * the same events calls it again: listeners must be idempotent. Their failures are logged and
 * never hold projection back.
 */
export type ProjectionListener = (
  events: readonly IngestedEvent[],
  merges: readonly SessionMerge[],
) => Promise<void>;

interface Applied {
  readonly events: IngestedEvent[];
  readonly merges: SessionMerge[];
  readonly failed: { event: StoredEvent; error: string; attempts: number }[];
}

export interface ReplayResult {
  readonly replayed: number;
  readonly failed: number;
  readonly remaining: number;
}

/**
 * Applies the telemetry change feed to the entity store (decision 003). Runs as one loop: read
 * after the cursor, project, advance. A batch that keeps failing is retried with backoff, then
 * its events are applied one at a time so one poison event cannot hold the rest back; those
 * that still fail become dead letters, parked in the same step that advances the cursor.
 */
export class EntityProjector {
  readonly #batchSize: number;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #maxOutageBackoffMs: number;
  readonly #pollMs: number;
  readonly #now: () => number;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #listeners: ProjectionListener[] = [];
  readonly #recentLimit: number;
  readonly #gatherMs: number;
  readonly #gatherAbove: number;
  #gathering = false;
  /** Events the ingest just stored, in seq order, not yet projected (see `offer`). */
  #recent: IngestedEvent[] = [];
  /** The cursor as last read or advanced; the projection log holds it durably. */
  #cursor: number | undefined;
  /** The highest seq offered so far. */
  #lastOffered = 0;
  /** Steps run one at a time, whoever asks (the loop, `catchUp`, `projectNow`). */
  #stepping: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly telemetry: TelemetryStore,
    private readonly entities: EntityStore,
    private readonly log: ProjectionLog,
    private readonly metrics: PlatformMetrics,
    private readonly logger: Logger,
    options: EntityProjectorOptions = {},
  ) {
    this.#batchSize = options.batchSize ?? 5000;
    this.#attempts = options.attempts ?? 5;
    this.#backoffMs = options.backoffMs ?? 100;
    this.#maxOutageBackoffMs = options.maxOutageBackoffMs ?? 2000;
    this.#pollMs = options.pollMs ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#recentLimit = options.recentLimit ?? 20_000;
    this.#gatherMs = options.gatherMs ?? 200;
    this.#gatherAbove = options.gatherAbove ?? 100;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  onApplied(listener: ProjectionListener): void {
    this.#listeners.push(listener);
  }

  /** New events were stored: look now rather than at the next poll. */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Events the ingest has just stored, in seq order, with their messages already parsed. While
   * they follow on from the cursor the projector applies them from here instead of reading the
   * feed back and parsing every body again; on any gap (a restart, a batch that overflowed the
   * limit, a failure) it reads the feed, which stays the source of truth.
   */
  offer(events: readonly IngestedEvent[]): void {
    const last = events[events.length - 1];
    if (last) this.#lastOffered = Math.max(this.#lastOffered, last.seq);
    if (this.#recent.length + events.length > this.#recentLimit) this.#recent = [];
    else this.#recent.push(...events);
    if (!this.#gathering || this.#recent.length >= this.#batchSize) this.#wake?.();
  }

  /** Finishes the batch in hand and stops. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Runs until the cursor reaches the end of the feed (tests, shutdown). */
  async catchUp(): Promise<void> {
    while ((await this.#oneStep()) > 0);
  }

  /**
   * Projects at once everything the ingest has stored so far, without waiting for a batch to
   * gather: for a caller about to read what a device sent before (a checkout reconciles the
   * scans the cart sent over MQTT before its checkout frame).
   */
  async projectNow(): Promise<void> {
    const target = this.#lastOffered;
    while ((this.#cursor ?? 0) < target) {
      if ((await this.#oneStep()) === 0) return;
    }
  }

  #oneStep(): Promise<number> {
    const step = this.#stepping.then(() => this.#step());
    this.#stepping = step.catch(() => undefined);
    return step;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let applied = 0;
      try {
        applied = await this.#oneStep();
      } catch (error) {
        // The projection log failing lands here, and an entity store still unreachable when the
        // platform stops; try again after a pause (or stop).
        this.logger.error({ err: error }, 'entity projection step failed');
      }
      if (!this.#running) break;
      if (applied === 0) await this.#idle(this.#pollMs);
      else if (
        applied >= this.#gatherAbove &&
        applied < this.#batchSize &&
        this.#recent.length < this.#batchSize
      ) {
        this.#gathering = true;
        await this.#idle(this.#gatherMs);
        this.#gathering = false;
      }
    }
  }

  #idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.#timer);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      this.#timer = setTimeout(done, ms);
    });
  }

  /** One batch; returns how many events it moved past. */
  async #step(): Promise<number> {
    const cursor = (this.#cursor ??= await this.log.cursor());
    const recent = this.#takeRecent(cursor);
    if (recent.length > 0) {
      try {
        const { merges } = await this.entities.project(recent);
        const last = recent[recent.length - 1]!.seq;
        await this.log.advance(last, [], this.#now());
        this.#cursor = last;
        await this.#notify(recent, merges);
        this.metrics.projected.inc(recent.length);
        return recent.length;
      } catch (error) {
        // The feed path retries, isolates and dead-letters; it needs the stored rows for that.
        this.logger.warn({ err: String(error), events: recent.length }, 'projection failed');
        this.#recent = [];
      }
    }
    const events = await this.telemetry.eventsAfter(cursor, this.#batchSize);
    if (events.length === 0) {
      this.metrics.projectionLag.set(0);
      return 0;
    }
    const last = events[events.length - 1]!.seq;
    const { failed, ...applied } = await this.#projectWithRetries(events);
    await this.log.advance(last, failed, this.#now());
    this.#cursor = last;
    await this.#notify(applied.events, applied.merges);
    this.metrics.projected.inc(events.length - failed.length);
    if (failed.length > 0) {
      this.metrics.deadLettered.inc(failed.length);
      for (const f of failed) {
        this.logger.error(
          {
            device_id: f.event.deviceId,
            counter: f.event.counter,
            type: f.event.type,
            err: f.error,
          },
          'event moved to the dead-letter store',
        );
      }
    }
    this.metrics.deadLetters.set(await this.log.countDeadLetters());
    return events.length;
  }

  /** The offered events that continue the feed right after `cursor`, up to one batch. */
  #takeRecent(cursor: number): IngestedEvent[] {
    let skip = 0;
    while (skip < this.#recent.length && this.#recent[skip]!.seq <= cursor) skip++;
    let take = 0;
    let expected = cursor + 1;
    while (
      skip + take < this.#recent.length &&
      take < this.#batchSize &&
      this.#recent[skip + take]!.seq === expected
    ) {
      take++;
      expected++;
    }
    // A gap before the first offered event: the feed holds something this process did not offer.
    if (take === 0 && skip < this.#recent.length) return [];
    return this.#recent.splice(0, skip + take).slice(skip);
  }

  async #notify(events: readonly IngestedEvent[], merges: readonly SessionMerge[]): Promise<void> {
    if (events.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        await listener(events, merges);
      } catch (error) {
        this.logger.error({ err: error }, 'a projection listener failed');
      }
    }
  }

  async #projectWithRetries(events: readonly StoredEvent[]): Promise<Applied> {
    const ingested = events.map(toIngestedEvent);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        const { merges } = await this.#projectOnceReachable(ingested);
        return { events: ingested, merges, failed: [] };
      } catch (error) {
        // Still unreachable when the platform stops: no attempt failed, the step does.
        if (unreachable(error)) throw error;
        lastError = error;
        this.logger.warn(
          { err: String(error), attempt, events: events.length },
          'projection failed',
        );
        if (attempt < this.#attempts && this.#running) {
          await sleep(this.#backoffMs * 2 ** (attempt - 1));
        }
      }
    }
    if (events.length === 1) {
      const failed = [{ event: events[0]!, error: String(lastError), attempts: this.#attempts }];
      return { events: [], merges: [], failed };
    }
    const result: Applied = { events: [], merges: [], failed: [] };
    for (const [i, event] of events.entries()) {
      try {
        const { merges } = await this.#projectOnceReachable([ingested[i]!]);
        result.events.push(ingested[i]!);
        result.merges.push(...merges);
      } catch (error) {
        if (unreachable(error)) throw error;
        result.failed.push({ event, error: String(error), attempts: this.#attempts + 1 });
      }
    }
    return result;
  }

  /**
   * Projects, waiting out an unreachable entity store (decision 050): a PostgreSQL restart is
   * not a poison event, and counting it against the attempts parked every event of the outage
   * as a dead letter. Only a stop while it waits gives up, and then the step fails before the
   * cursor moves, so the next start projects the same events again.
   */
  async #projectOnceReachable(events: readonly IngestedEvent[]) {
    let wait = this.#backoffMs;
    let since: number | undefined;
    for (;;) {
      try {
        const outcome = await this.entities.project(events);
        if (since !== undefined) {
          this.logger.info(
            { unreachableMs: this.#now() - since },
            'entity store reachable again, projection resumed',
          );
        }
        return outcome;
      } catch (error) {
        if (!unreachable(error) || !this.#running) throw error;
        if (since === undefined) {
          since = this.#now();
          this.logger.warn({ err: String(error) }, 'entity store unreachable; projection waits');
        }
        await sleep(wait);
        wait = Math.min(wait * 2, this.#maxOutageBackoffMs);
      }
    }
  }

  /** Re-applies dead letters; those that apply now leave the store, the rest stay. */
  async replayDeadLetters(limit = 10_000): Promise<ReplayResult> {
    const letters = await this.log.listDeadLetters(limit);
    const done: number[] = [];
    const applied: IngestedEvent[] = [];
    const merges: SessionMerge[] = [];
    let failed = 0;
    for (const letter of letters) {
      try {
        const event = toIngestedEvent(letter.event);
        merges.push(...(await this.entities.project([event])).merges);
        applied.push(event);
        done.push(letter.id);
      } catch (error) {
        failed++;
        await this.log.markReplayFailed(letter.id, String(error), this.#now());
      }
    }
    await this.log.removeDeadLetters(done);
    await this.#notify(applied, merges);
    const remaining = await this.log.countDeadLetters();
    this.metrics.deadLetters.set(remaining);
    return { replayed: done.length, failed, remaining };
  }
}

function unreachable(error: unknown): boolean {
  return error instanceof EntityFailure && error.code === 'entity-store-unavailable';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
