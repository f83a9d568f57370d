import { Worker } from 'node:worker_threads';
import { siblingModule, workerScript } from '../../threads/worker-script.js';
import type { SqliteTelemetryOptions } from '../sqlite-telemetry-store.js';
import type {
  AppendOutcome,
  DeviceEventsQuery,
  DeviceUsage,
  StoreEventsQuery,
  StoredEvent,
  TelemetryRecord,
  TelemetryStore,
} from '../telemetry-store.js';
import { packRecords } from './packed-records.js';

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { message: string };
}

/**
 * The SQLite telemetry store in a worker thread of its own. A durable append waits for an fsync;
 * on the event loop that wait stopped TLS, MQTT and verification dispatch for every batch
 * (bench:ingest profiled the append at over a quarter of the event loop's time). Here the event
 * loop only packs the batch and goes on; the next batch gathers while this one commits.
 */
export class ThreadedTelemetryStore implements TelemetryStore {
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => this.#settle(reply));
    worker.on('error', (error) => this.#failAll(error));
    worker.on('exit', () => {
      // A call posted to a stopped thread would wait forever: refuse them from now on.
      this.#closed = true;
      this.#failAll(new Error('the telemetry store thread stopped'));
    });
  }

  static async open(
    file: string,
    options: SqliteTelemetryOptions = {},
  ): Promise<ThreadedTelemetryStore> {
    const worker = new Worker(
      workerScript(siblingModule(import.meta.url, 'telemetry-store-worker')),
      {
        eval: true,
        workerData: { file, options },
      },
    );
    const store = new ThreadedTelemetryStore(worker);
    await new Promise<unknown>((resolve, reject) =>
      store.#pending.set(0, { resolve, reject }),
    ).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    return store;
  }

  append(records: readonly TelemetryRecord[]): Promise<AppendOutcome> {
    if (records.length === 0) return Promise.resolve({ fresh: [], seqs: [] });
    const packed = packRecords(records);
    return this.#call('appendPacked', [packed.numbers.buffer, packed.signatures.buffer], packed);
  }
  latestForDevice(deviceId: string, query: DeviceEventsQuery): Promise<StoredEvent[]> {
    return this.#call('latestForDevice', [], deviceId, query);
  }
  storeEventsBetween(storeId: string, query: StoreEventsQuery): Promise<StoredEvent[]> {
    return this.#call('storeEventsBetween', [], storeId, query);
  }
  eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    return this.#call('eventsAfter', [], seq, limit);
  }
  usageBetween(from: number, to: number): Promise<DeviceUsage[]> {
    return this.#call('usageBetween', [], from, to);
  }
  eventsBySeq(seqs: readonly number[]): Promise<StoredEvent[]> {
    return this.#call('eventsBySeq', [], seqs);
  }
  expire(now: number): Promise<number> {
    return this.#call('expire', [], now);
  }
  count(): Promise<number> {
    return this.#call('count', []);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#call('close', []);
    } finally {
      this.#closed = true;
      await this.worker.terminate();
    }
  }

  #call<T>(method: string, transfer: ArrayBuffer[], ...args: unknown[]): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the telemetry store is closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args }, transfer);
    });
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.error) pending.reject(new Error(reply.error.message));
    else pending.resolve(reply.result);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
