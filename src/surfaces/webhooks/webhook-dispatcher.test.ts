import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { filePgliteStore } from '../../../test-support/pglite-store.js';
import {
  closedPortUrl,
  startReceiver,
  type Answer,
} from '../../../test-support/webhook-receiver.js';
import { silentLogger } from '../../shared/observability/logger.js';
import type { SqlEntityStore } from '../../stores/entities/sql-entity-store.js';
import type { DeliveryRecord } from '../../stores/entities/webhooks/webhook-records.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { verifyWebhook } from './webhook-signature.js';

const T0 = Date.parse('2026-12-06T12:00:00.000Z');
const SECRET = 'whsec_dispatcher-test';
const openStore = filePgliteStore();
let webhooks = 0;

/** A webhook to a real receiver answering `answers`, a dispatcher on a clock the test moves. */
async function setUp(t: TestContext, answers?: Answer[], url?: string) {
  const store = await openStore();
  const receiver = await startReceiver(t, answers);
  const id = `wh_${++webhooks}`;
  await store.addWebhook({
    id,
    url: url ?? receiver.url,
    secret: SECRET,
    events: [],
    createdBy: 'ops:t',
    at: T0,
  });
  // Each test's deliveries go with its webhook, so the next test's rounds never claim them.
  t.after(() => store.removeWebhook(id));
  const clock = { now: T0 };
  const dispatcher = new WebhookDispatcher({
    records: store,
    log: silentLogger(),
    now: () => clock.now,
    random: () => 0.5,
    // Rounds come from the test (deliverDue) or a kick, never from the timer.
    pollMs: 3_600_000,
  });
  const delivery = async (): Promise<DeliveryRecord> => (await store.listDeliveries(id, 1))[0]!;
  return { store, receiver, id, clock, dispatcher, delivery };
}

async function enqueue(store: SqlEntityStore, eventId: string, now = T0): Promise<string[]> {
  return store.enqueueWebhookEvent(
    {
      id: eventId,
      kind: 'alarm.firing',
      at: T0 - 1000,
      payload: { alarm: 'battery-low', id: 'x' },
    },
    { now },
  );
}

describe('webhook dispatcher', () => {
  it('delivers an event once, signed so that the receiver verifies it', async (t) => {
    const { store, receiver, clock, dispatcher, delivery } = await setUp(t);
    const [deliveryId] = await enqueue(store, 'evt-once');
    assert.equal(await dispatcher.deliverDue(), 1);
    const [request] = receiver.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['fleetplane-delivery'], deliveryId);
    assert.equal(request.headers['fleetplane-event'], 'alarm.firing');
    const signature = request.headers['fleetplane-signature'] as string;
    assert.deepEqual(verifyWebhook(SECRET, request.body, signature, T0 / 1000), {
      ok: true,
      timestamp: T0 / 1000,
    });
    assert.equal(verifyWebhook('whsec_other', request.body, signature, T0 / 1000).ok, false);
    // The payload's own `id` does not replace the event's.
    assert.deepEqual(JSON.parse(request.body), {
      id: 'evt-once',
      kind: 'alarm.firing',
      at: new Date(T0 - 1000).toISOString(),
      alarm: 'battery-low',
    });
    const delivered = await delivery();
    assert.equal(delivered.state, 'delivered');
    assert.equal(delivered.attempts, 1);
    assert.equal(delivered.lastStatus, 204);

    // Never again: not in a later round, not when the alarm offers the same event again.
    clock.now += 86_400_000;
    assert.deepEqual(await enqueue(store, 'evt-once', clock.now), []);
    assert.equal(await dispatcher.deliverDue(), 0);
    assert.equal(receiver.requests.length, 1);
  });

  it('retries a receiver that fails twice, with growing gaps, and stops at its first 2xx', async (t) => {
    const answers = [{ status: 500 }, { status: 503 }, { status: 200 }];
    const { store, receiver, clock, dispatcher, delivery } = await setUp(t, answers);
    await enqueue(store, 'evt-retry');
    const gaps: number[] = [];
    await dispatcher.deliverDue();
    for (let attempt = 2; attempt <= 3; attempt++) {
      const due = Date.parse((await delivery()).nextAttemptAt);
      gaps.push(due - clock.now);
      clock.now = due - 1;
      assert.equal(await dispatcher.deliverDue(), 0, 'not before its time');
      clock.now = due;
      assert.equal(await dispatcher.deliverDue(), 1);
    }
    assert.equal(receiver.requests.length, 3);
    const ids = new Set(receiver.requests.map((r) => r.headers['fleetplane-delivery']));
    assert.equal(ids.size, 1, 'every attempt carries the one delivery id');
    assert.deepEqual(gaps, [7_500, 15_000]);
    const final = await delivery();
    assert.equal(final.state, 'delivered');
    assert.equal(final.attempts, 3);
    assert.equal(final.lastStatus, 200);
    clock.now += 86_400_000;
    assert.equal(await dispatcher.deliverDue(), 0);
    assert.equal(receiver.requests.length, 3);
  });

  it('fails a delivery after ten failed attempts and keeps the last error', async (t) => {
    const { store, receiver, clock, dispatcher, delivery } = await setUp(t, [{ status: 500 }]);
    await enqueue(store, 'evt-fail');
    for (let attempt = 1; attempt <= 10; attempt++) {
      clock.now = Date.parse((await delivery()).nextAttemptAt);
      assert.equal(await dispatcher.deliverDue(), 1, `attempt ${attempt}`);
    }
    const failed = await delivery();
    assert.equal(failed.state, 'failed');
    assert.equal(failed.attempts, 10);
    assert.equal(failed.lastStatus, 500);
    assert.equal(failed.lastError, 'HTTP 500');
    clock.now += 30 * 86_400_000;
    assert.equal(await dispatcher.deliverDue(), 0);
    assert.equal(receiver.requests.length, 10);
  });

  it('does not follow a redirect: it is a failed attempt', async (t) => {
    const redirect = { status: 302, headers: { location: '/elsewhere' } };
    const { store, receiver, dispatcher, delivery } = await setUp(t, [redirect]);
    await enqueue(store, 'evt-redirect');
    await dispatcher.deliverDue();
    assert.deepEqual(
      receiver.requests.map((r) => r.path),
      ['/hook'],
    );
    const attempted = await delivery();
    assert.equal(attempted.state, 'pending');
    assert.equal(attempted.lastStatus, 302);
    assert.equal(attempted.lastError, 'HTTP 302 redirect to /elsewhere (not followed)');
  });

  it('records a refused connection as an attempt without a status', async (t) => {
    const { store, dispatcher, delivery } = await setUp(t, undefined, await closedPortUrl());
    await enqueue(store, 'evt-refused');
    await dispatcher.deliverDue();
    const attempted = await delivery();
    assert.equal(attempted.state, 'pending');
    assert.equal(attempted.attempts, 1);
    assert.equal(attempted.lastStatus, null);
    assert.match(attempted.lastError ?? '', /ECONNREFUSED/);
  });

  it('sends again a delivery whose dispatcher died holding it, once its lease runs out', async (t) => {
    const { store, receiver, clock, dispatcher, delivery } = await setUp(t);
    await enqueue(store, 'evt-restart');
    // A platform claimed it and stopped before it recorded anything (killed mid-request).
    assert.equal((await store.claimDueDeliveries(clock.now, 8, 30_000)).length, 1);
    assert.equal(await dispatcher.deliverDue(), 0, 'held by the lease');
    clock.now += 30_000;
    assert.equal(await dispatcher.deliverDue(), 1, 'the restarted platform takes it');
    assert.equal(receiver.requests.length, 1);
    assert.equal((await delivery()).state, 'delivered');
  });

  // The bound only turns a hang (the behaviour this guards against) into a failure.
  it(
    'keeps delivering to others while one receiver holds its request open',
    { timeout: 60_000 },
    async (t) => {
      const hanging = await setUp(t, [{ status: 0 }]);
      const healthy = await setUp(t);
      // The hanging receiver would hold its slot for an hour: only the pool lets others past.
      const dispatcher = new WebhookDispatcher({
        records: healthy.store,
        log: silentLogger(),
        now: () => healthy.clock.now,
        timeoutMs: 3_600_000,
        pollMs: 3_600_000,
      });
      dispatcher.start();
      t.after(() => dispatcher.stop());
      await hanging.store.enqueueWebhookEvent(
        { id: 'evt-hang', kind: 'k', at: T0, payload: {} },
        { now: T0, webhookId: hanging.id },
      );
      dispatcher.kick();
      await hanging.receiver.received(1);
      await healthy.store.enqueueWebhookEvent(
        { id: 'evt-next', kind: 'k', at: T0, payload: {} },
        { now: T0, webhookId: healthy.id },
      );
      dispatcher.kick();
      const [request] = await healthy.receiver.received(1);
      assert.equal(JSON.parse(request!.body).id, 'evt-next');
    },
  );

  it('runs rounds on its own once started, woken by a kick', { timeout: 60_000 }, async (t) => {
    const { store, receiver, dispatcher } = await setUp(t);
    dispatcher.start();
    t.after(() => dispatcher.stop());
    // Its first round may or may not have run already; only a kick makes one that sees this.
    await enqueue(store, 'evt-kick');
    dispatcher.kick();
    const [request] = await receiver.received(1);
    assert.equal(JSON.parse(request!.body).id, 'evt-kick');
  });
});
