import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DeviceClass } from '../../../contract/index.js';
import { DEFAULT_RETENTION_DAYS } from '../telemetry-store.js';
import type {
  AppendOutcome,
  DeviceEventsQuery,
  DeviceUsage,
  StoreEventsQuery,
  StoredEvent,
  TelemetryRecord,
  TelemetryStore,
} from '../telemetry-store.js';
import { expireEvents } from './telemetry-expiry.js';
import { DynamoDbTelemetryRetention } from './telemetry-aggregation.js';
import type { DailyAggregate, FoldOutcome, TelemetryRetentionDue } from '../daily-aggregates.js';
import { readFeed, readSeqs, type FeedSource } from './telemetry-feed.js';
import {
  BY_STORE,
  BY_TIME,
  META_KEY,
  ensureTelemetryTable,
  readMeta,
  eventItem,
  holeItem,
  isHole,
  num,
  padded,
  toStoredEvent,
  type Item,
} from './telemetry-table.js';

const DAY_MS = 86_400_000;
/** Puts in flight at once for one batch. */
const PUT_CONCURRENCY = 32;

export interface DynamoDbTelemetryOptions {
  readonly table: string;
  /** An endpoint other than AWS's (a local server); AWS's for the region otherwise. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly retentionDays?: number;
  /** Partitions the change feed is written across, fixed when the table is first opened. */
  readonly feedBuckets?: number;
  /** How long a missing seq holds the change feed back (decision 054); default 10 s. */
  readonly settleMs?: number;
  readonly now?: () => number;
  /** A client of one's own (tests wrap one to fail on cue); closed by `close` all the same. */
  readonly client?: DynamoDBClient;
}

/**
 * Telemetry in one DynamoDB table with the seed's key design: events keyed (device, counter) so
 * a conditional put deduplicates, read by (device, time) through an LSI and by (store, time) and
 * (feed bucket, seq) through GSIs, with a TTL attribute. Decision 054 has the design and its costs.
 */
export class DynamoDbTelemetryStore implements TelemetryStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #retentionMs: number;
  readonly #feed: FeedSource;
  readonly #retention: DynamoDbTelemetryRetention;

  private constructor(
    client: DynamoDBClient,
    table: string,
    retentionMs: number,
    feed: FeedSource,
  ) {
    this.#client = client;
    this.#table = table;
    this.#retentionMs = retentionMs;
    this.#feed = feed;
    this.#retention = new DynamoDbTelemetryRetention(client, table);
  }

  /** Opens the table, creating it with its indexes when it is missing. */
  static async open(options: DynamoDbTelemetryOptions): Promise<DynamoDbTelemetryStore> {
    const client =
      options.client ??
      new DynamoDBClient({
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...regionFor(options),
      });
    try {
      await ensureTelemetryTable(client, options.table);
      // The bucket count is the table's: the first opener's choice stays.
      const meta = await client.send(
        new UpdateItemCommand({
          TableName: options.table,
          Key: META_KEY,
          UpdateExpression: 'SET buckets = if_not_exists(buckets, :b)',
          ExpressionAttributeValues: { ':b': { N: String(options.feedBuckets ?? 4) } },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const feed: FeedSource = {
        client,
        table: options.table,
        buckets: num(meta.Attributes ?? {}, 'buckets'),
        settleMs: options.settleMs ?? 10_000,
        now: options.now ?? Date.now,
      };
      const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
      return new DynamoDbTelemetryStore(client, options.table, retentionMs, feed);
    } catch (error) {
      client.destroy();
      throw error;
    }
  }

  async append(records: readonly TelemetryRecord[]): Promise<AppendOutcome> {
    const seen = new Set<string>();
    const firstInBatch = records.map((r) => {
      const key = `${r.deviceId}\u0000${r.counter}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const seqs: (number | null)[] = records.map(() => null);
    let block = { start: 0, allocatedAt: 0, next: 0 };
    for (let i = 0; i < records.length; i += PUT_CONCURRENCY) {
      // A block older than half the settle time is left as gaps: readers pass those after
      // `settleMs`, so a seq must never be written that late (decision 054).
      if (i === 0 || this.#feed.now() - block.allocatedAt > this.#feed.settleMs / 2) {
        block = await this.#allocate(records.length - i, i);
      }
      const chunk = records.slice(i, i + PUT_CONCURRENCY).map(async (r, j) => {
        const index = i + j;
        const seq = block.start + index - block.next;
        const stored = firstInBatch[index] && (await this.#putOnce(r, seq, block.allocatedAt));
        if (stored) seqs[index] = seq;
        else await this.#putHole(seq, block.allocatedAt);
      });
      const settled = await Promise.allSettled(chunk);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return { fresh: seqs.map((s) => s !== null), seqs };
  }

  latestForDevice(deviceId: string, query: DeviceEventsQuery): Promise<StoredEvent[]> {
    const before = query.before;
    return this.#queryUpTo(query.limit, {
      IndexName: BY_TIME,
      ConsistentRead: true,
      ScanIndexForward: false,
      KeyConditionExpression: before ? 'device = :d AND timeKey < :b' : 'device = :d',
      ...(query.type
        ? { FilterExpression: '#type = :t', ExpressionAttributeNames: { '#type': 'type' } }
        : {}),
      ExpressionAttributeValues: {
        ':d': { S: deviceId },
        ...(before
          ? { ':b': { S: `${padded(before.deviceTime)}#${padded(before.counter)}` } }
          : {}),
        ...(query.type ? { ':t': { S: query.type } } : {}),
      },
    });
  }

  storeEventsBetween(storeId: string, query: StoreEventsQuery): Promise<StoredEvent[]> {
    if (query.from >= query.to) return Promise.resolve([]);
    // Keys are "time#seq": every key of a time below `to` sorts below the bare padded `to`.
    return this.#queryUpTo(query.limit, {
      IndexName: BY_STORE,
      KeyConditionExpression: '#store = :s AND storeKey BETWEEN :a AND :b',
      ExpressionAttributeNames: { '#store': 'store' },
      ExpressionAttributeValues: {
        ':s': { S: storeId },
        ':a': { S: padded(query.from) },
        ':b': { S: padded(query.to) },
      },
    });
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    return readFeed(
      this.#feed,
      seq,
      limit,
      num(await readMeta(this.#client, this.#table), 'floor') || 0,
    );
  }

  eventsBySeq(seqs: readonly number[]): Promise<StoredEvent[]> {
    return readSeqs(this.#feed, seqs);
  }

  async usageBetween(from: number, to: number): Promise<DeviceUsage[]> {
    // A metering query reads the whole table, as the SQLite store does (decision 054: costs).
    const byDevice = new Map<string, DeviceUsage & { days: Set<number> }>();
    await this.#scan(
      {
        FilterExpression: 'deviceTime >= :f AND deviceTime < :t',
        ExpressionAttributeValues: { ':f': { N: String(from) }, ':t': { N: String(to) } },
      },
      (item) => {
        const e = toStoredEvent(item);
        const key = `${e.storeId}\u0000${e.deviceId}\u0000${e.deviceClass}`;
        const usage = byDevice.get(key) ?? {
          ...{ storeId: e.storeId, deviceId: e.deviceId, deviceClass: e.deviceClass },
          ...{ messages: 0, bytes: 0, activeDays: 0, days: new Set<number>() },
        };
        usage.days.add(Math.floor(e.deviceTime / DAY_MS));
        byDevice.set(key, {
          ...usage,
          messages: usage.messages + 1,
          bytes: usage.bytes + Buffer.byteLength(e.body, 'utf8') + e.signature.byteLength,
          activeDays: usage.days.size,
        });
      },
    );
    return [...byDevice.values()]
      .map(({ days: _days, ...usage }) => ({
        ...usage,
        deviceClass: usage.deviceClass as DeviceClass,
      }))
      .sort((a, b) => compare(a.storeId, b.storeId) || compare(a.deviceId, b.deviceId));
  }

  expire(now: number): Promise<number> {
    return expireEvents(this.#feed, now - this.#retentionMs);
  }

  retentionDue(rawBefore: number, aggregatesBefore: number): Promise<TelemetryRetentionDue> {
    return this.#retention.due(rawBefore, aggregatesBefore);
  }

  foldBefore(before: number): Promise<FoldOutcome> {
    return this.#retention.fold(before);
  }

  dropAggregatesBefore(before: number): Promise<number> {
    return this.#retention.drop(before);
  }

  dailyAggregates(deviceId: string, from: number, to: number): Promise<DailyAggregate[]> {
    return this.#retention.aggregates(deviceId, from, to);
  }

  /** Exact, so it reads the whole table: not for a health probe (see `approximateCount`). */
  async count(): Promise<number> {
    let n = 0;
    let start: Item | undefined;
    do {
      const out = await this.#client.send(
        new ScanCommand({
          TableName: this.#table,
          Select: 'COUNT',
          FilterExpression: 'attribute_exists(deviceClass)',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      n += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return n;
  }

  /**
   * DynamoDB's own item count, which it refreshes about every six hours, less its bookkeeping
   * item: one request however large the table, for the health endpoint. Holes count as events.
   */
  async approximateCount(): Promise<number> {
    const out = await this.#client.send(new DescribeTableCommand({ TableName: this.#table }));
    return Math.max(0, (out.Table?.ItemCount ?? 0) - 1);
  }

  close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }

  async #allocate(n: number, offset: number) {
    const allocatedAt = this.#feed.now();
    const out = await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: META_KEY,
        UpdateExpression: 'ADD nextSeq :n',
        ExpressionAttributeValues: { ':n': { N: String(n) } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const end = num(out.Attributes ?? {}, 'nextSeq');
    return { start: end - n + 1, allocatedAt, next: offset };
  }

  /** True when stored now, false when (device, counter) was there. */
  async #putOnce(r: TelemetryRecord, seq: number, allocatedAt: number): Promise<boolean> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: eventItem(r, seq, allocatedAt, this.#feed.buckets, this.#retentionMs),
          ConditionExpression: 'attribute_not_exists(device)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async #putHole(seq: number, allocatedAt: number): Promise<void> {
    const item = holeItem(seq, allocatedAt, this.#feed.buckets, allocatedAt + this.#retentionMs);
    await this.#client.send(new PutItemCommand({ TableName: this.#table, Item: item }));
  }

  /** Pages a query until `limit` items passed its filter or the range is read. */
  async #queryUpTo(
    limit: number,
    input: Omit<QueryCommandInput, 'TableName'>,
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    let start: Item | undefined;
    while (events.length < limit) {
      const out = await this.#client.send(
        new QueryCommand({
          ...input,
          TableName: this.#table,
          Limit: limit - events.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) events.push(toStoredEvent(item));
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    return events;
  }

  async #scan(
    input: { FilterExpression: string; ExpressionAttributeValues?: Record<string, Item[string]> },
    each: (item: Item) => void,
  ): Promise<void> {
    let start: Item | undefined;
    do {
      const out = await this.#client.send(
        new ScanCommand({
          ...input,
          TableName: this.#table,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) if (!isHole(item) && item['deviceClass']) each(item);
      start = out.LastEvaluatedKey;
    } while (start);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A local endpoint needs some region to sign with; AWS's comes from the SDK's own chain. */
function regionFor(options: DynamoDbTelemetryOptions): { region?: string } {
  if (options.region) return { region: options.region };
  if (options.endpoint && !process.env['AWS_REGION']) return { region: 'us-east-1' };
  return {};
}
