import type { DeviceMessage } from '../../contract/index.js';
import type { TelemetryRecord, TelemetryStore } from '../../stores/telemetry/telemetry-store.js';

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
 * a commit is paid per batch, not per message. One batch is written at a time; what arrives
 * meanwhile waits and goes as the next batch the moment this one is durable, so batches grow
 * with load by themselves (fixed 2 ms batches meant hundreds of commits a second at full load).
 * Each caller learns when its own record is durable (and whether it was new) and only then
 * acknowledges it.
 */
export class BatchWriter {
  readonly #maxBatch: number;
  readonly #maxDelayMs: number;
  readonly #attempts: number;
  #waiting: Waiting[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The batch being written, if any. */
  #inHand: Promise<void> | undefined;

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
      // While a batch is in hand the next one is taken when it is durable.
      if (this.#inHand) return;
      if (this.#waiting.length >= this.#maxBatch) this.#take();
      else this.#timer ??= setTimeout(() => this.#take(), this.#maxDelayMs);
    });
  }

  /** Writes whatever waits and resolves when every batch so far is settled. */
  async flush(): Promise<void> {
    while (this.#inHand || this.#waiting.length > 0) {
      this.#take();
      await this.#inHand;
    }
  }

  #take(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#inHand || this.#waiting.length === 0) return;
    const batch = this.#waiting.splice(0, this.#maxBatch);
    this.#inHand = this.#write(batch).finally(() => {
      this.#inHand = undefined;
      this.#take();
    });
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
