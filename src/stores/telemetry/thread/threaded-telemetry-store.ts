import { ThreadClient } from '../../../shared/threads/thread-client.js';
import { siblingModule } from '../../../shared/threads/worker-script.js';
import type { SqliteTelemetryOptions } from '../sqlite-telemetry-store.js';
import type {
  DailyAggregate,
  FoldOutcome,
  TelemetryRetentionDue,
  AppendOutcome,
  DeviceEventsQuery,
  DeviceUsage,
  StoreEventsQuery,
  StoredEvent,
  TelemetryRecord,
  TelemetryStore,
} from '../telemetry-store.js';
import { packRecords } from './packed-records.js';

/**
 * The SQLite telemetry store in a worker thread of its own. A durable append waits for an fsync;
 * on the event loop that wait stopped TLS, MQTT and verification dispatch for every batch
 * (bench:ingest profiled the append at over a quarter of the event loop's time). Here the event
 * loop only packs the batch and goes on; the next batch gathers while this one commits.
 */
export class ThreadedTelemetryStore implements TelemetryStore {
  private constructor(private readonly thread: ThreadClient) {}

  static async open(
    file: string,
    options: SqliteTelemetryOptions = {},
  ): Promise<ThreadedTelemetryStore> {
    const entry = siblingModule(import.meta.url, 'telemetry-store-worker');
    return new ThreadedTelemetryStore(
      await ThreadClient.start(entry, { file, options }, 'telemetry store'),
    );
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
  retentionDue(rawBefore: number, aggregatesBefore: number): Promise<TelemetryRetentionDue> {
    return this.#call('retentionDue', [], rawBefore, aggregatesBefore);
  }
  foldBefore(before: number): Promise<FoldOutcome> {
    return this.#call('foldBefore', [], before);
  }
  dropAggregatesBefore(before: number): Promise<number> {
    return this.#call('dropAggregatesBefore', [], before);
  }
  dailyAggregates(deviceId: string, from: number, to: number): Promise<DailyAggregate[]> {
    return this.#call('dailyAggregates', [], deviceId, from, to);
  }
  count(): Promise<number> {
    return this.#call('count', []);
  }

  close(): Promise<void> {
    return this.thread.close();
  }

  #call<T>(method: string, transfer: ArrayBuffer[], ...args: unknown[]): Promise<T> {
    return this.thread.call(method, args, transfer);
  }
}
