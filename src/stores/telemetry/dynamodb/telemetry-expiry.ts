import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  QueryCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { FeedSource } from './telemetry-feed.js';
import { BY_SEQ, META_KEY, isHole, num, readMeta, type Item } from './telemetry-table.js';

/**
 * Deletes events (and holes) that arrived before `cutoff`; returns how many events. Seq order is
 * arrival order, give or take a batch, so each bucket's expired items are its oldest seqs and the
 * walk stops at the first one still within retention, as the SQLite store's does. On AWS the TTL
 * attribute has usually deleted them already; local servers have no TTL. Raises the feed's
 * floor, so readers pass the deleted seqs at once instead of waiting at them.
 */
export async function expireEvents(source: FeedSource, cutoff: number): Promise<number> {
  let removed = 0;
  let firstKept = Infinity;
  for (let bucket = 0; bucket < source.buckets; bucket++) {
    const doomed: Item[] = [];
    let start: Item | undefined;
    walk: for (;;) {
      const out = await source.client.send(
        new QueryCommand({
          TableName: source.table,
          IndexName: BY_SEQ,
          KeyConditionExpression: 'feed = :f',
          ExpressionAttributeValues: { ':f': { S: `f${bucket}` } },
          Limit: 1000,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        if (num(item, 'receivedAt') >= cutoff) {
          firstKept = Math.min(firstKept, num(item, 'seq'));
          break walk;
        }
        doomed.push(item);
      }
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    await deleteAll(source, doomed);
    removed += doomed.filter((item) => !isHole(item)).length;
  }
  const floor =
    firstKept === Infinity
      ? num(await readMeta(source.client, source.table), 'nextSeq') || 0
      : firstKept - 1;
  if (floor > 0) await raiseFloor(source, floor);
  return removed;
}

async function raiseFloor(source: FeedSource, floor: number): Promise<void> {
  try {
    await source.client.send(
      new UpdateItemCommand({
        TableName: source.table,
        Key: META_KEY,
        UpdateExpression: 'SET floor = :f',
        ConditionExpression: 'attribute_not_exists(floor) OR floor < :f',
        ExpressionAttributeValues: { ':f': { N: String(floor) } },
      }),
    );
  } catch (error) {
    // Another process raised it higher already.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** BatchWriteItem takes 25 at a time and may hand some back unprocessed under load. */
async function deleteAll(source: FeedSource, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: WriteRequest[] = items.slice(i, i + 25).map((item) => ({
      DeleteRequest: { Key: { device: item['device']!, counter: item['counter']! } },
    }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(attempt, 6)));
      }
      const out = await source.client.send(
        new BatchWriteItemCommand({ RequestItems: { [source.table]: requests } }),
      );
      requests = out.UnprocessedItems?.[source.table] ?? [];
    }
  }
}
