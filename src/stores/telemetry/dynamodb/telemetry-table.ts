import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DeviceClass, DeviceMessageType } from '../../../contract/index.js';
import type { StoredEvent, TelemetryRecord } from '../telemetry-store.js';

/** The table's key design: see docs/decisions/054-telemetry-on-dynamodb-and-blobs-on-s3.md. */
export const BY_TIME = 'by_time';
export const BY_STORE = 'by_store';
export const BY_SEQ = 'by_seq';
/** Partition keys no device id can take (ids start with a letter or digit). */
export const META_KEY = { device: { S: '~meta' }, counter: { N: '0' } } as const;
export const HOLE_DEVICE = '~hole';

export type Item = Record<string, AttributeValue>;

// Device times and seqs as fixed-width decimal, so string order is number order. 16 digits hold
// every safe integer a timestamp or seq reaches (2^53 has 16 digits).
const WIDTH = 16;
/**
 * TTL is a backstop behind the retention job (decision 063): it deletes a month after the job
 * should have folded an event into its day's aggregate, so on AWS it never deletes one unfolded
 * while the job runs daily.
 */
export const TTL_GRACE_MS = 31 * 86_400_000;
export const padded = (n: number): string => String(n).padStart(WIDTH, '0');
export const feedBucket = (seq: number, buckets: number): string => `f${seq % buckets}`;

export function eventItem(
  r: TelemetryRecord,
  seq: number,
  allocatedAt: number,
  buckets: number,
  retentionMs: number,
): Item {
  return {
    device: { S: r.deviceId },
    counter: { N: String(r.counter) },
    timeKey: { S: `${padded(r.deviceTime)}#${padded(r.counter)}` },
    store: { S: r.storeId },
    storeKey: { S: `${padded(r.deviceTime)}#${padded(seq)}` },
    feed: { S: feedBucket(seq, buckets) },
    seq: { N: String(seq) },
    allocatedAt: { N: String(allocatedAt) },
    deviceClass: { S: r.deviceClass },
    type: { S: r.type },
    deviceTime: { N: String(r.deviceTime) },
    receivedAt: { N: String(r.receivedAt) },
    body: { S: r.body },
    signature: { B: r.signature },
    expiresAt: { N: String(Math.ceil((r.receivedAt + retentionMs + TTL_GRACE_MS) / 1000)) },
  };
}

/** A seq allocated to a repeat: keeps the feed contiguous (decision 054). */
export function holeItem(seq: number, allocatedAt: number, buckets: number, expiresAt: number) {
  return {
    device: { S: HOLE_DEVICE },
    counter: { N: String(seq) },
    feed: { S: feedBucket(seq, buckets) },
    seq: { N: String(seq) },
    allocatedAt: { N: String(allocatedAt) },
    receivedAt: { N: String(allocatedAt) },
    expiresAt: { N: String(Math.ceil(expiresAt / 1000)) },
  } satisfies Item;
}

export const isHole = (item: Item): boolean => item['device']?.S === HOLE_DEVICE;
export const num = (item: Item, name: string): number => Number(item[name]?.N ?? NaN);

export function toStoredEvent(item: Item): StoredEvent {
  return {
    seq: num(item, 'seq'),
    deviceId: item['device']!.S!,
    counter: num(item, 'counter'),
    storeId: item['store']!.S!,
    deviceClass: item['deviceClass']!.S! as DeviceClass,
    type: item['type']!.S! as DeviceMessageType,
    deviceTime: num(item, 'deviceTime'),
    receivedAt: num(item, 'receivedAt'),
    body: item['body']!.S!,
    signature: new Uint8Array(item['signature']!.B!),
  };
}

/** A key attribute: its name and DynamoDB scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/**
 * The table's keys, indexes and TTL attribute in one place: `ensureTelemetryTable` creates the
 * table from it, and the AWS deployment (deploy/aws) declares the same table from it, so the two
 * cannot drift.
 */
export const TELEMETRY_TABLE_DESIGN = {
  partitionKey: { name: 'device', type: 'S' },
  sortKey: { name: 'counter', type: 'N' },
  localIndexes: [{ name: BY_TIME, sortKey: { name: 'timeKey', type: 'S' } }],
  globalIndexes: [
    {
      name: BY_STORE,
      partitionKey: { name: 'store', type: 'S' },
      sortKey: { name: 'storeKey', type: 'S' },
    },
    {
      name: BY_SEQ,
      partitionKey: { name: 'feed', type: 'S' },
      sortKey: { name: 'seq', type: 'N' },
    },
  ],
  ttlAttribute: 'expiresAt',
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  localIndexes: readonly { name: string; sortKey: KeyAttribute }[];
  globalIndexes: readonly { name: string; partitionKey: KeyAttribute; sortKey: KeyAttribute }[];
  ttlAttribute: string;
};

const keySchema = (hash: KeyAttribute, range: KeyAttribute) => [
  { AttributeName: hash.name, KeyType: 'HASH' as const },
  { AttributeName: range.name, KeyType: 'RANGE' as const },
];

/** Creates the table with its indexes and TTL when it is missing; waits until it is active. */
export async function ensureTelemetryTable(client: DynamoDBClient, table: string): Promise<void> {
  if (await tableStatus(client, table)) return waitActive(client, table);
  const all = { ProjectionType: 'ALL' as const };
  const design = TELEMETRY_TABLE_DESIGN;
  const attributes = [
    design.partitionKey,
    design.sortKey,
    ...design.localIndexes.map((index) => index.sortKey),
    ...design.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((a) => ({
          AttributeName: a.name,
          AttributeType: a.type,
        })),
        KeySchema: keySchema(design.partitionKey, design.sortKey),
        LocalSecondaryIndexes: design.localIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(design.partitionKey, index.sortKey),
          Projection: all,
        })),
        GlobalSecondaryIndexes: design.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: all,
        })),
      }),
    );
  } catch (error) {
    // Another process created it first: fine, wait for it like for our own.
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  await waitActive(client, table);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: design.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // Local servers (dynalite) have no TTL; `expire` deletes what is due either way.
    const name = (error as { name?: string }).name ?? '';
    if (!/UnknownOperation|NotImplemented|ValidationException/.test(name)) throw error;
  }
}

async function tableStatus(client: DynamoDBClient, table: string): Promise<string | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: table }));
    return out.Table?.TableStatus;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitActive(client: DynamoDBClient, table: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if ((await tableStatus(client, table)) === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100 * Math.min(attempt + 1, 10)));
  }
  throw new Error(`DynamoDB table ${table} did not become active`);
}

/** The bookkeeping item: `nextSeq`, `buckets`, and the `floor` that expiry raised. */
export async function readMeta(client: DynamoDBClient, table: string): Promise<Item> {
  const out = await client.send(
    new GetItemCommand({ TableName: table, Key: META_KEY, ConsistentRead: true }),
  );
  return out.Item ?? {};
}
