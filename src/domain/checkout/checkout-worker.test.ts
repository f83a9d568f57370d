import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { TestDevice } from '../../../test-support/entity-events.js';
import type { CheckoutRecord, CheckoutWorkQuery } from '../../stores/entities/entity-store.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { CheckoutWorker } from './checkout-worker.js';

function harness(options: { reconciled?: string[]; work?: string[]; failList?: boolean } = {}) {
  const reconciled: string[] = [];
  const queries: CheckoutWorkQuery[] = [];
  const clock = { now: 10_000_000 };
  const worker = new CheckoutWorker({
    entities: {
      getCheckout: async (key) =>
        'sessionId' in key && options.reconciled?.includes(key.sessionId)
          ? ({ sessionId: key.sessionId } as CheckoutRecord)
          : undefined,
      listCheckoutWork: async (query) => {
        if (options.failList) throw new Error('store down');
        queries.push(query);
        return options.work ?? [];
      },
    },
    reconcile: async (id) => {
      reconciled.push(id);
      if (id === 'boom') throw new Error('no');
    },
    log: silentLogger(),
    now: () => clock.now,
    sweepEveryMs: 1000,
    sweepWindowMs: 50_000,
    sweepGraceMs: 100,
  });
  return { worker, reconciled, queries, clock };
}

describe('CheckoutWorker', () => {
  it('reconciles complete session-ends from projection unless already reconciled', async () => {
    const done = randomUUID();
    const { worker, reconciled } = harness({ reconciled: [done] });
    const cart = new TestDevice('CART-W');
    const fresh = randomUUID();
    const abandoned = randomUUID();
    await worker.applied([
      cart.event('session-end', { session_id: fresh }),
      cart.event('session-end', { session_id: done }),
      cart.event('session-end', { session_id: abandoned, status: 'abandoned' }),
      cart.event('scan'),
    ]);
    await worker.runOnce();
    assert.deepEqual(reconciled, [fresh]);
  });

  it('asks for due retries every round and sweeps for missed sessions now and then', async () => {
    const { worker, reconciled, queries, clock } = harness({ work: ['a', 'boom', 'b'] });
    await worker.runOnce();
    assert.deepEqual(reconciled.sort(), ['a', 'b', 'boom'], 'one failure does not stop the rest');
    clock.now += 500;
    await worker.runOnce();
    clock.now += 600;
    await worker.runOnce();
    assert.deepEqual(
      queries.map((q) => [q.due, q.endedAfter, q.endedBefore - q.endedAfter]),
      [
        [10_000_000, 10_000_000 - 100 - 50_000, 100 + 2 * 50_000],
        [10_000_500, 10_000_500 - 100, 0],
        [10_001_100, 10_001_100 - 100 - 50_000, 50_000],
      ],
      'the sweep window only when a sweep is due; retries every time',
    );
    assert.equal(queries[2]?.endedBefore, 10_001_100 - 100, 'sessions just ended are left alone');
  });

  it('sweeps at start the sessions that ended just before it, which no listener holds', async () => {
    // A crash between projecting a session-end and reconciling it: after the restart nothing
    // queues it (its event was projected), and the periodic sweep would leave it to the grace.
    const clock = { now: 10_000_000 };
    const endedAt = new Map([
      ['crashed-mid-checkout', clock.now - 5_000],
      ['cart-clock-ahead', clock.now + 30_000],
    ]);
    const reconciled: string[] = [];
    const worker = new CheckoutWorker({
      entities: {
        getCheckout: async () => undefined,
        listCheckoutWork: async (q) =>
          [...endedAt].filter(([, t]) => t >= q.endedAfter && t < q.endedBefore).map(([id]) => id),
      },
      reconcile: async (id) => {
        reconciled.push(id);
      },
      log: silentLogger(),
      now: () => clock.now,
    });
    await worker.runOnce();
    assert.deepEqual(reconciled.sort(), ['cart-clock-ahead', 'crashed-mid-checkout']);
  });

  it('keeps going when the store fails, and stops', async () => {
    const { worker } = harness({ failList: true });
    await worker.runOnce();
    worker.start();
    await worker.stop();
  });
});
