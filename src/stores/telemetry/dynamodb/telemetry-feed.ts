import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StoredEvent } from '../telemetry-store.js';
import { BY_SEQ, feedBucket, isHole, num, toStoredEvent, type Item } from './telemetry-table.js';

export interface FeedSource {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly buckets: number;
  /** How long a missing seq holds the feed back before it is taken for one never written. */
  readonly settleMs: number;
  readonly now: () => number;
}

/**
 * The change feed after `cursor`, in seq order, read from every bucket of the seq index and
 * merged. A missing seq stops the walk until the item after it is `settleMs` old, or lies at or
 * below `floor` (what `expire` deleted): decision 054 says why that is safe.
 */
export async function readFeed(
  source: FeedSource,
  cursor: number,
  limit: number,
  floor: number,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  if (limit <= 0) return events;
  let from = cursor;
  for (;;) {
    const pages = await Promise.all(
      Array.from({ length: source.buckets }, (_, b) => queryBucket(source, b, from, limit)),
    );
    // A bucket that had more than one page: past its last item, another bucket's items could
    // overtake ones of its own not yet read, so the merge stops there.
    let bound = Infinity;
    for (const page of pages) if (page.truncated) bound = Math.min(bound, page.lastSeq);
    const items = pages
      .flatMap((p) => p.items)
      .filter((item) => num(item, 'seq') <= bound)
      .sort((a, b) => num(a, 'seq') - num(b, 'seq'));
    let expected = from + 1;
    for (const item of items) {
      const seq = num(item, 'seq');
      const settled = source.now() - num(item, 'allocatedAt') >= source.settleMs;
      if (seq !== expected && seq - 1 > floor && !settled) return events;
      if (!isHole(item)) events.push(toStoredEvent(item));
      expected = seq + 1;
      if (events.length === limit) return events;
    }
    // Everything was read, or the walk is past the bound: read on from there (holes only, or
    // repeats of a long batch, can fill a whole page without an event).
    if (bound === Infinity || items.length === 0) return events;
    from = expected - 1;
  }
}

/** Events with these seqs: one query each, on the seq index (dead-letter re-projection only). */
export async function readSeqs(
  source: FeedSource,
  seqs: readonly number[],
): Promise<StoredEvent[]> {
  const unique = [...new Set(seqs)];
  const found = await Promise.all(
    unique.map(async (seq) => {
      const out = await source.client.send(
        new QueryCommand({
          TableName: source.table,
          IndexName: BY_SEQ,
          KeyConditionExpression: 'feed = :f AND seq = :s',
          ExpressionAttributeValues: {
            ':f': { S: feedBucket(seq, source.buckets) },
            ':s': { N: String(seq) },
          },
        }),
      );
      return (out.Items ?? []).filter((item) => !isHole(item));
    }),
  );
  return found
    .flat()
    .map(toStoredEvent)
    .sort((a, b) => a.seq - b.seq);
}

async function queryBucket(
  source: FeedSource,
  bucket: number,
  after: number,
  limit: number,
): Promise<{ items: Item[]; truncated: boolean; lastSeq: number }> {
  const out = await source.client.send(
    new QueryCommand({
      TableName: source.table,
      IndexName: BY_SEQ,
      KeyConditionExpression: 'feed = :f AND seq > :s',
      ExpressionAttributeValues: { ':f': { S: `f${bucket}` }, ':s': { N: String(after) } },
      Limit: limit,
    }),
  );
  const items = out.Items ?? [];
  const last = items[items.length - 1];
  return {
    items,
    truncated: out.LastEvaluatedKey !== undefined && last !== undefined,
    lastSeq: last ? num(last, 'seq') : after,
  };
}
