import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { IngestQueue, QueuedMessage } from './ingest-queue.js';

export interface QueueOpenOptions {
  /** Failed deliveries before a dead letter. */
  readonly maxDeliveries?: number;
  /** Unacknowledged messages one group may hold at once. */
  readonly maxAckPending?: number;
}

/**
 * Opens queue members for one test: every member of a group returned by the same `group()` call
 * binds the same durable (the same stream), and a new `group()` call is a new, empty queue.
 */
export type QueueGroupFactory = (
  t: TestContext,
  options?: QueueOpenOptions,
) => Promise<{ member(): Promise<IngestQueue> } | undefined>;

export function queued(counter: number, deviceId = 'CART-0001'): QueuedMessage {
  return {
    topic: `carts/${deviceId}/telemetry/health`,
    payload: new TextEncoder().encode(`message ${counter} of ${deviceId}`),
    receivedAt: 1_790_000_000_000 + counter,
    deviceId,
    storeId: 'berlin-1',
    deviceClass: 'cart',
    counter,
  };
}

async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What a scale-out ingest queue adapter must do (decision 055); its engine test runs this suite. */
export function runIngestQueueContract(name: string, group: QueueGroupFactory): void {
  describe(`IngestQueue contract: ${name}`, () => {
    it('hands each enqueued message to the consumer once, as it was enqueued', async (t) => {
      const g = await group(t);
      if (!g) return;
      const queue = await g.member();
      const seen: QueuedMessage[] = [];
      await queue.start(async (m) => {
        seen.push(m);
      });
      for (let c = 1; c <= 20; c++) await queue.enqueue(queued(c));
      await queue.settled();
      await eventually(() => (seen.length >= 20 ? true : undefined), '20 messages consumed');
      assert.deepEqual(
        seen.map((m) => m.counter).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const third = seen.find((m) => m.counter === 3);
      assert.deepEqual(third && { ...third, payload: [...third.payload] }, {
        ...queued(3),
        payload: [...queued(3).payload],
      });
      assert.equal(await queue.deadLetters.count(), 0);
    });

    it('settles only once what was enqueued before has been consumed', async (t) => {
      const g = await group(t);
      if (!g) return;
      const queue = await g.member();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const received: number[] = [];
      const stored: number[] = [];
      await queue.start(async (m) => {
        received.push(m.counter);
        await gate;
        stored.push(m.counter);
      });
      await queue.enqueue(queued(1));
      let settled = false;
      const settling = queue.settled().then(() => (settled = true));
      try {
        await eventually(() => (received.length === 1 ? true : undefined), 'the delivery');
        assert.equal(settled, false, 'not settled while the consumer holds the message');
      } finally {
        // Else closing the queue would wait for the held delivery for ever.
        release();
      }
      await settling;
      assert.deepEqual(stored, [1]);
    });

    it('delivers a message again when the consumer fails on it, until it succeeds', async (t) => {
      const g = await group(t, { maxDeliveries: 5 });
      if (!g) return;
      const queue = await g.member();
      let attempts = 0;
      const stored: number[] = [];
      await queue.start(async (m) => {
        if (m.counter === 1 && ++attempts < 3) throw new Error('store unavailable');
        stored.push(m.counter);
      });
      await queue.enqueue(queued(1));
      await eventually(() => (stored.length === 1 ? true : undefined), 'the third delivery');
      assert.equal(attempts, 3);
      assert.equal(await queue.deadLetters.count(), 0);
    });

    it('parks a message as a dead letter after N failed deliveries, and replays it', async (t) => {
      const g = await group(t, { maxDeliveries: 3 });
      if (!g) return;
      const queue = await g.member();
      let attempts = 0;
      let storeWorks = false;
      const stored: number[] = [];
      await queue.start(async (m) => {
        if (m.counter === 7 && !storeWorks) {
          attempts++;
          throw new Error('row too large for the store');
        }
        stored.push(m.counter);
      });
      await queue.enqueue(queued(6));
      await queue.enqueue(queued(7));
      await queue.enqueue(queued(8));
      await eventually(
        async () => ((await queue.deadLetters.count()) === 1 ? true : undefined),
        'a dead letter',
      );
      const [letter] = await queue.deadLetters.list(10);
      assert.ok(letter);
      assert.equal(letter.message.counter, 7);
      assert.equal(letter.deliveries, 3);
      assert.match(letter.error, /row too large/);
      await queue.settled();
      assert.deepEqual(stored.sort(), [6, 8]);
      // After settling, so that a parked message that comes back (not taken off the work stream)
      // shows as a fourth attempt.
      assert.equal(attempts, 3, 'delivered N times, then parked');

      storeWorks = true;
      assert.deepEqual(await queue.deadLetters.replay(), { replayed: 1, failed: 0, remaining: 0 });
      await eventually(() => (stored.includes(7) ? true : undefined), 'the replayed message');
      assert.equal(await queue.deadLetters.count(), 0);
      assert.deepEqual(await queue.deadLetters.replay(), { replayed: 0, failed: 0, remaining: 0 });
    });

    it('drops a second enqueue of the same (device, counter) by its message id', async (t) => {
      const g = await group(t);
      if (!g) return;
      const queue = await g.member();
      const seen: string[] = [];
      await queue.start(async (m) => {
        seen.push(`${m.deviceId}:${m.counter}`);
      });
      await queue.enqueue(queued(1));
      await queue.enqueue(queued(1));
      await queue.enqueue(queued(1, 'CART-0002'));
      await queue.settled();
      await eventually(() => (seen.length >= 2 ? true : undefined), 'two messages');
      await queue.enqueue(queued(2));
      await eventually(() => (seen.includes('CART-0001:2') ? true : undefined), 'the marker');
      assert.deepEqual(seen.sort(), ['CART-0001:1', 'CART-0001:2', 'CART-0002:1']);
    });

    it('shares one durable between members of a group: each message goes to one of them', async (t) => {
      const g = await group(t, { maxAckPending: 8 });
      if (!g) return;
      const a = await g.member();
      const b = await g.member();
      const byA: number[] = [];
      const byB: number[] = [];
      const slowly = (into: number[]) => async (m: QueuedMessage) => {
        await new Promise((r) => setTimeout(r, 5));
        into.push(m.counter);
      };
      await a.start(slowly(byA));
      await b.start(slowly(byB));
      const total = 200;
      for (let c = 1; c <= total; c++) await (c % 2 ? a : b).enqueue(queued(c));
      await eventually(() => (byA.length + byB.length >= total ? true : undefined), 'all consumed');
      await a.settled();
      const all = [...byA, ...byB].sort((x, y) => x - y);
      assert.deepEqual(
        all,
        Array.from({ length: total }, (_, i) => i + 1),
        'each exactly once',
      );
      assert.ok(
        byA.length > 0 && byB.length > 0,
        `both members consumed (${byA.length}/${byB.length})`,
      );
    });
  });
}
