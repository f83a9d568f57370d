import type { Logger } from '../../shared/observability/logger.js';

/** What an outage reports through: a gauge that reads 1 while the store takes writes, 0 while not. */
export interface StoreOutageDeps {
  readonly log: Logger;
  readonly writable: { set(value: number): void };
  readonly now?: () => number;
  /** Between reminders that the store still fails (default 30 s). */
  readonly remindEveryMs?: number;
}

/**
 * The telemetry store refusing writes (its disk full, its file unwritable) as one event with a
 * start and an end, rather than an error line per failed attempt: an operator reads once, in
 * words, what is wrong and what the platform does about it, a reminder while it lasts, and when
 * it is over. Meanwhile ingest leaves every message unacknowledged and devices send them again.
 */
export class StoreOutage {
  readonly #now: () => number;
  readonly #remindEveryMs: number;
  #since: number | undefined;
  #failures = 0;
  #remindedAt = 0;

  constructor(private readonly deps: StoreOutageDeps) {
    this.#now = deps.now ?? Date.now;
    this.#remindEveryMs = deps.remindEveryMs ?? 30_000;
    deps.writable.set(1);
  }

  get failing(): boolean {
    return this.#since !== undefined;
  }

  /** A write attempt failed. */
  failed(error: unknown): void {
    const now = this.#now();
    this.#failures++;
    if (this.#since === undefined) {
      this.#since = now;
      this.#remindedAt = now;
      this.deps.writable.set(0);
      this.deps.log.error(
        { err: error, cause: storeFailureCause(error) },
        `telemetry store cannot write (${storeFailureCause(error)}): messages stay unacknowledged and devices send them again; ingest resumes by itself once the store can write`,
      );
    } else if (now - this.#remindedAt >= this.#remindEveryMs) {
      this.#remindedAt = now;
      this.deps.log.error(
        {
          cause: storeFailureCause(error),
          failed_writes: this.#failures,
          since_ms: now - this.#since,
        },
        `telemetry store still cannot write (${storeFailureCause(error)}) after ${Math.round((now - this.#since) / 1000)} s`,
      );
    }
  }

  /** A write succeeded. */
  succeeded(): void {
    if (this.#since === undefined) return;
    const lasted = this.#now() - this.#since;
    this.deps.log.warn(
      { failed_writes: this.#failures, outage_ms: lasted },
      `telemetry store writes again after ${this.#failures} failed writes over ${Math.round(lasted / 1000)} s`,
    );
    this.#since = undefined;
    this.#failures = 0;
    this.deps.writable.set(1);
  }
}

/** The cause in an operator's words: a full disk is named as such. */
export function storeFailureCause(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.message} ${String((error as { code?: unknown }).code ?? '')}`
      : String(error);
  if (/disk is full|ENOSPC|SQLITE_FULL|no space left/i.test(text)) return 'the disk is full';
  if (/read-?only|EROFS|SQLITE_READONLY/i.test(text)) return 'the store is read-only';
  return error instanceof Error ? error.message : String(error);
}
