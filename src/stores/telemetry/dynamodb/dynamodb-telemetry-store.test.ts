import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite } from '../../../../test-support/local-aws.js';
import { record, runTelemetryStoreContract } from '../telemetry-store.contract.js';
import { DynamoDbTelemetryStore } from './dynamodb-telemetry-store.js';

runTelemetryStoreContract('DynamoDB (dynalite)', async (t, retentionDays) => {
  const { endpoint } = await startDynalite(t);
  return DynamoDbTelemetryStore.open({
    endpoint,
    table: 'telemetry',
    ...(retentionDays === undefined ? {} : { retentionDays }),
  });
});

describe('DynamoDbTelemetryStore', () => {
  it('creates its table on first open and finds its events again on the next', async (t) => {
    const { endpoint } = await startDynalite(t);
    const first = await DynamoDbTelemetryStore.open({ endpoint, table: 'telemetry' });
    await first.append([record('CART-0001', 1), record('CART-0001', 2)]);
    await first.close();
    const second = await DynamoDbTelemetryStore.open({ endpoint, table: 'telemetry' });
    t.after(() => second.close());
    assert.deepEqual((await second.append([record('CART-0001', 2)])).fresh, [false]);
    assert.equal(await second.count(), 2);
    // DynamoDB refreshes its figure every six hours or so; dynalite keeps none and says 0, so
    // only the request is checked here, not the figure.
    assert.ok(Number.isInteger(await second.approximateCount()));
  });

  it('stores no record twice when a batch fails half written and is sent again', async (t) => {
    const { endpoint } = await startDynalite(t);
    let clock = Date.parse('2026-12-01T00:00:00.000Z');
    let putsBeforeFailure = Infinity;
    const client = new DynamoDBClient({ endpoint });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutItemCommand' && putsBeforeFailure-- <= 0) {
          throw new Error('connection reset (injected)');
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const store = await DynamoDbTelemetryStore.open({
      client,
      table: 'telemetry',
      feedBuckets: 1,
      settleMs: 10_000,
      now: () => clock,
    });
    t.after(() => store.close());
    const batch = [record('CART-0001', 1), record('CART-0001', 2), record('CART-0001', 3)];
    // Puts run together, so make them sequential in effect: the first succeeds, the rest fail.
    putsBeforeFailure = 1;
    await assert.rejects(store.append(batch), /injected/);
    putsBeforeFailure = Infinity;
    const stored = await store.eventsAfter(0, 10);
    assert.equal(stored.length, 1, 'one record of the first attempt made it');
    const retry = await store.append(batch);
    assert.equal(retry.fresh.filter((f) => !f).length, 1, 'the stored one is a repeat');
    assert.equal(retry.fresh.filter(Boolean).length, 2);
    assert.equal(await store.count(), 3);
    // The first attempt's unwritten seqs are gaps: the feed waits at them, then passes.
    const waiting = await store.eventsAfter(stored[0]!.seq, 10);
    assert.deepEqual(waiting, [], 'a fresh gap holds the feed back');
    clock += 10_000;
    const feed = await store.eventsAfter(0, 10);
    assert.deepEqual(feed.map((e) => e.counter).sort(), [1, 2, 3], 'each record once in the feed');
    const retrySeqs = retry.seqs.filter((s): s is number => s !== null);
    assert.ok(
      retrySeqs.every((s) => s > 3),
      'the retry took seqs after the first block',
    );
  });

  it('folds no event twice when a run stops after writing a day and before deleting its events', async (t) => {
    const { endpoint } = await startDynalite(t);
    let failDeletes = false;
    const client = new DynamoDBClient({ endpoint });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && failDeletes) {
          throw new Error('process killed (injected)');
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const store = await DynamoDbTelemetryStore.open({ client, table: 'telemetry' });
    t.after(() => store.close());
    const day0 = Date.parse('2025-03-10T00:00:00.000Z');
    await store.append([1, 2, 3].map((c) => record('CART-0001', c, { deviceTime: day0 + c })));
    failDeletes = true;
    await assert.rejects(store.foldBefore(day0 + 86_400_000), /injected/);
    failDeletes = false;
    assert.equal(await store.count(), 3, 'the events are still there');
    assert.deepEqual(await store.foldBefore(day0 + 86_400_000), { folded: 0, alreadyFolded: 3 });
    assert.equal(await store.count(), 0);
    const [events] = await store.dailyAggregates('CART-0001', day0, day0 + 86_400_000);
    assert.equal(events?.count, 3, 'counted once');
  });

  it('walks the feed across buckets and pages past repeats', async (t) => {
    const { endpoint } = await startDynalite(t);
    const store = await DynamoDbTelemetryStore.open({
      endpoint,
      table: 'telemetry',
      feedBuckets: 3,
    });
    t.after(() => store.close());
    await store.append(Array.from({ length: 10 }, (_, i) => record('CART-0001', i + 1)));
    await store.append(Array.from({ length: 10 }, (_, i) => record('CART-0001', i + 1)));
    await store.append([record('CART-0002', 1)]);
    const seen: number[] = [];
    let cursor = 0;
    for (let page = await store.eventsAfter(cursor, 4); page.length > 0;) {
      seen.push(...page.map((e) => e.seq));
      cursor = page[page.length - 1]!.seq;
      page = await store.eventsAfter(cursor, 4);
    }
    assert.equal(seen.length, 11);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    assert.equal(new Set(seen).size, 11);
  });
});

describe('DynamoDbTelemetryStore requests and blocks', () => {
  /** A client that counts the commands it sends, by name, and runs `before` ahead of each. */
  function countingClient(endpoint: string, before: (command: string) => void = () => {}) {
    const sent = new Map<string, number>();
    const client = new DynamoDBClient({ endpoint });
    client.middlewareStack.add(
      (next, context) => (args) => {
        const name = context.commandName ?? 'unknown';
        before(name);
        sent.set(name, (sent.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize' },
    );
    return { client, sent };
  }

  it('costs one counter update and one put a record to append, one query for latest-N', async (t) => {
    const { endpoint } = await startDynalite(t);
    const { client, sent } = countingClient(endpoint);
    const store = await DynamoDbTelemetryStore.open({ client, table: 'telemetry' });
    t.after(() => store.close());
    sent.clear();
    await store.append(Array.from({ length: 50 }, (_, i) => record('CART-0001', i + 1)));
    assert.deepEqual(Object.fromEntries(sent), { UpdateItemCommand: 1, PutItemCommand: 50 });
    sent.clear();
    await store.append([record('CART-0001', 1)]);
    assert.deepEqual(
      Object.fromEntries(sent),
      { UpdateItemCommand: 1, PutItemCommand: 2 },
      'a repeat costs its failed put and its hole',
    );
    sent.clear();
    await store.latestForDevice('CART-0001', { limit: 20 });
    assert.deepEqual(Object.fromEntries(sent), { QueryCommand: 1 });
  });

  it('takes a new block when a batch is slower than half the settle time, and the feed passes the old block', async (t) => {
    const { endpoint } = await startDynalite(t);
    let clock = Date.parse('2026-12-01T00:00:00.000Z');
    // Each put takes 200 ms of the store's clock: 32 puts in flight are 6.4 s, past half of 10 s.
    const { client } = countingClient(endpoint, (command) => {
      if (command === 'PutItemCommand') clock += 200;
    });
    const store = await DynamoDbTelemetryStore.open({
      ...{ client, table: 'telemetry', feedBuckets: 2 },
      ...{ settleMs: 10_000, now: () => clock },
    });
    t.after(() => store.close());
    const batch = Array.from({ length: 40 }, (_, i) => record('CART-0001', i + 1));
    const { seqs } = await store.append(batch);
    assert.deepEqual(
      seqs.slice(0, 32),
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      seqs.slice(32),
      Array.from({ length: 8 }, (_, i) => 41 + i),
      'the rest from a second block: 33-40 are never written',
    );
    assert.deepEqual(
      (await store.eventsAfter(0, 100)).map((e) => e.seq),
      seqs.slice(0, 32),
      'the feed waits at the gap',
    );
    clock += 10_000;
    assert.deepEqual(
      (await store.eventsAfter(0, 100)).map((e) => e.seq),
      seqs,
      'and passes it once settled',
    );
  });
});
