import type { DeviceMessage } from '../contract/index.js';
import type { TelemetryRecord, TelemetryStore } from '../telemetry/telemetry-store.js';

/** A record stored by this batch for the first time, with the message it carries and its seq. */
export interface FreshRecord {
  readonly record: TelemetryRecord;
  readonly message: DeviceMessage;
  readonly seq: number;
}

export interface BatchWriterOptions {
  /** Flush at once when this many records wait. */
  readonly maxBatch?: number;
  /** Longest a record waits for company before its batch is written. */
  readonly maxDelayMs?: number;
  /** Attempts per batch before its messages are left unacknowledged. */
  readonly attempts?: number;
  /** After each durable batch: its size and the records it stored for the first time, in seq order. */
  readonly onBatch?: (size: number, fresh: readonly FreshRecord[]) => void;
  readonly onFailure?: (error: unknown) => void;
}

interface Waiting {
  readonly record: TelemetryRecord;
  readonly message: DeviceMessage;
  readonly resolve: (fresh: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: records arriving close together share one durable transaction, so the cost of
 * an fsync is paid per batch, not per message. Each caller learns when its own record is durable
 * (and whether it was new) and only then acknowledges it.
 */
export class BatchWriter {
  readonly #maxBatch: number;
  readonly #maxDelayMs: number;
  readonly #attempts: number;
  #waiting: Waiting[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: TelemetryStore,
    private readonly options: BatchWriterOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 2;
    this.#attempts = options.attempts ?? 3;
  }

  /** Resolves true when stored now, false when stored before; rejects when it could not be stored. */
  write(record: TelemetryRecord, message: DeviceMessage): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ record, message, resolve, reject });
      if (this.#waiting.length >= this.#maxBatch) this.#flushSoon(0);
      else if (!this.#timer) this.#flushSoon(this.#maxDelayMs);
    });
  }

  /** Writes whatever waits and resolves when every batch so far is settled. */
  async flush(): Promise<void> {
    this.#take();
    await this.#writing;
  }

  #flushSoon(delay: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#take(), delay);
  }

  #take(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waiting.length === 0) return;
    const batch = this.#waiting;
    this.#waiting = [];
    // Batches are written one after another, never interleaved.
    this.#writing = this.#writing.then(() => this.#write(batch));
  }

  async #write(batch: Waiting[]): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        const { fresh, seqs } = await this.store.append(batch.map((w) => w.record));
        if (this.options.onBatch) {
          const stored: FreshRecord[] = [];
          batch.forEach(({ record, message }, i) => {
            const seq = seqs[i];
            if (seq !== null && seq !== undefined) stored.push({ record, message, seq });
          });
          this.options.onBatch(batch.length, stored);
        }
        batch.forEach((w, i) => w.resolve(fresh[i] === true));
        return;
      } catch (error) {
        lastError = error;
        this.options.onFailure?.(error);
        if (attempt < this.#attempts) await sleep(20 * 2 ** attempt);
      }
    }
    for (const w of batch) w.reject(lastError);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
