import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { DeviceClass } from '../../../contract/index.js';
import {
  compareAggregates,
  dayNumber,
  foldInto,
  mergeStats,
  toAggregates,
  utcDay,
  type DailyAggregate,
  type FieldStats,
  type FoldOutcome,
  type TelemetryRetentionDue,
} from '../daily-aggregates.js';
import type { StoredEvent } from '../telemetry-store.js';
import { isHole, num, toStoredEvent, type Item } from './telemetry-table.js';

/**
 * A device's aggregates live in the telemetry table under the partition `~agg#<device>`, one item
 * per UTC day (the sort key is the day's number), with no attribute any index keys on: the feed,
 * the store index, metering and counts never see them. Ids start with a letter or digit, so the
 * prefix cannot meet a device.
 */
const AGG_PREFIX = '~agg#';
const DAY_MS = 86_400_000;

/**
 * Tier 1 retention on DynamoDB, which offers no transaction across the aggregate and its events
 * (and dynalite none at all): each day's item keeps the counters it folded, so a run that stopped
 * after writing it and before deleting the events deletes them next time without folding again.
 * The item is written conditionally on the version it was read at, so two runs cannot both add.
 */
export class DynamoDbTelemetryRetention {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async due(rawBefore: number, aggregatesBefore: number): Promise<TelemetryRetentionDue> {
    let rawEvents = 0;
    await this.#scanDue(rawBefore, (items) => void (rawEvents += items.length));
    let aggregateDays = 0;
    await this.#scanAggregates(aggregatesBefore, (items) => void (aggregateDays += items.length));
    return { rawEvents, aggregateDays };
  }

  async fold(before: number): Promise<FoldOutcome> {
    let folded = 0;
    let alreadyFolded = 0;
    // One scan page at a time: a day split across pages merges into the same item.
    await this.#scanDue(before, async (items) => {
      const groups = new Map<string, StoredEvent[]>();
      for (const item of items) {
        const e = toStoredEvent(item);
        const key = `${e.deviceId}\u0000${dayNumber(e.deviceTime)}`;
        groups.set(key, [...(groups.get(key) ?? []), e]);
      }
      for (const events of groups.values()) {
        const n = await this.#foldDay(events);
        folded += n;
        alreadyFolded += events.length - n;
        await this.#delete(
          events.map((e) => ({ device: { S: e.deviceId }, counter: { N: String(e.counter) } })),
        );
      }
    });
    return { folded, alreadyFolded };
  }

  async drop(before: number): Promise<number> {
    let days = 0;
    await this.#scanAggregates(before, async (items) => {
      days += items.length;
      await this.#delete(items.map((i) => ({ device: i['device']!, counter: i['counter']! })));
    });
    return days;
  }

  async aggregates(deviceId: string, from: number, to: number): Promise<DailyAggregate[]> {
    const out: DailyAggregate[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          ConsistentRead: true,
          KeyConditionExpression: 'device = :d AND #day BETWEEN :a AND :b',
          ExpressionAttributeNames: { '#day': 'counter' },
          ExpressionAttributeValues: {
            ':d': { S: AGG_PREFIX + deviceId },
            ':a': { N: String(dayNumber(from)) },
            ':b': { N: String(dayNumber(to) - 1) },
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const head = {
          deviceId,
          storeId: item['aggStore']!.S!,
          deviceClass: item['aggClass']!.S! as DeviceClass,
          day: utcDay(num(item, 'counter') * DAY_MS),
        };
        out.push(...toAggregates(head, readStats(item)));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out.sort(compareAggregates);
  }

  /** Folds the events of one device-day its item does not hold yet; returns how many. */
  async #foldDay(events: readonly StoredEvent[]): Promise<number> {
    const first = events[0]!;
    const key = {
      device: { S: AGG_PREFIX + first.deviceId },
      counter: { N: String(dayNumber(first.deviceTime)) },
    };
    for (;;) {
      const got = await this.client.send(
        new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      const item = got.Item;
      const done = new Set((item?.['folded']?.NS ?? []).map(Number));
      const fresh = events.filter((e) => !done.has(e.counter));
      if (fresh.length === 0) return 0;
      const stats = item ? readStats(item) : new Map<string, FieldStats>();
      const add = new Map<string, FieldStats>();
      for (const e of fresh) foldInto(add, e);
      mergeStats(stats, add);
      const version = item ? num(item, 'version') : 0;
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.table,
            Item: {
              ...key,
              aggStore: { S: first.storeId },
              aggClass: { S: first.deviceClass },
              stats: { S: JSON.stringify([...stats]) },
              folded: { NS: [...done, ...fresh.map((e) => e.counter)].map(String) },
              version: { N: String(version + 1) },
            },
            ConditionExpression: item ? 'version = :v' : 'attribute_not_exists(device)',
            ...(item ? { ExpressionAttributeValues: { ':v': { N: String(version) } } } : {}),
          }),
        );
        return fresh.length;
      } catch (error) {
        // Another run wrote the day since it was read: read it again.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  async #scanDue(before: number, page: (items: Item[]) => unknown): Promise<void> {
    await this.#scan(
      {
        FilterExpression: 'attribute_exists(deviceClass) AND deviceTime < :b',
        ExpressionAttributeValues: { ':b': { N: String(before) } },
      },
      (items) => page(items.filter((i) => !isHole(i))),
    );
  }

  async #scanAggregates(before: number, page: (items: Item[]) => unknown): Promise<void> {
    await this.#scan(
      {
        FilterExpression: 'begins_with(device, :p) AND #day < :d',
        ExpressionAttributeNames: { '#day': 'counter' },
        ExpressionAttributeValues: {
          ':p': { S: AGG_PREFIX },
          ':d': { N: String(dayNumber(before)) },
        },
      },
      page,
    );
  }

  /** Reads the whole table, as metering does (decision 063 has the cost). */
  async #scan(
    input: Pick<
      ConstructorParameters<typeof ScanCommand>[0],
      'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
    page: (items: Item[]) => unknown,
  ): Promise<void> {
    let start: Item | undefined;
    do {
      const out = await this.client.send(
        new ScanCommand({
          ...input,
          TableName: this.table,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      if (out.Items && out.Items.length > 0) await page(out.Items);
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /** BatchWriteItem takes 25 at a time and may hand some back unprocessed under load. */
  async #delete(keys: readonly Item[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: WriteRequest[] = keys
        .slice(i, i + 25)
        .map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) {
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(attempt, 6)));
        }
        const out = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.table]: requests } }),
        );
        requests = out.UnprocessedItems?.[this.table] ?? [];
      }
    }
  }
}

function readStats(item: Item): Map<string, FieldStats> {
  return new Map(JSON.parse(item['stats']?.S ?? '[]') as [string, FieldStats][]);
}
