import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import type { EntityStore, NewWebhook, WebhookEvent } from './entity-store.js';

const T0 = Date.parse('2026-12-06T12:00:00.000Z');

function webhook(
  id: string,
  events: string[] = [],
  url = `https://hooks.example/${id}`,
): NewWebhook {
  return { id, url, secret: `whsec_${id}`, events, createdBy: 'ops:alice', at: T0 };
}

function event(id: string, kind = 'alarm.firing'): WebhookEvent {
  return { id, kind, at: T0 - 5_000, payload: { alarm: 'battery-low', deviceId: 'CART-1' } };
}

/** Webhooks and their delivery log (entity-store.contract.ts runs these). */
export function webhookContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('adds, lists and removes webhooks without ever listing a secret', async (t) => {
    const store = await open(t);
    if (!store) return;
    const added = await store.addWebhook(webhook('wh_1', ['alarm.firing']));
    assert.deepEqual(added, {
      id: 'wh_1',
      url: 'https://hooks.example/wh_1',
      events: ['alarm.firing'],
      enabled: true,
      createdAt: new Date(T0).toISOString(),
      createdBy: 'ops:alice',
    });
    await store.addWebhook({ ...webhook('wh_2'), at: T0 + 1 });
    const listed = await store.listWebhooks();
    assert.deepEqual(
      listed.map((w) => w.id),
      ['wh_1', 'wh_2'],
    );
    assert.ok(listed.every((w) => !JSON.stringify(w).includes('whsec_')));
    assert.deepEqual(await store.getWebhook('wh_1'), added);
    assert.equal(await store.removeWebhook('wh_1'), true);
    assert.equal(await store.removeWebhook('wh_1'), false);
    assert.equal(await store.getWebhook('wh_1'), undefined);
  });

  it('enqueues an event once per matching webhook, however often it is offered', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.addWebhook(webhook('wh_all'));
    await store.addWebhook(webhook('wh_alarms', ['alarm.firing', 'alarm.resolved']));
    await store.addWebhook(webhook('wh_ota', ['ota.halted']));
    const first = await store.enqueueWebhookEvent(event('evt-1'), { now: T0 });
    assert.equal(first.length, 2);
    assert.ok(first.every((id) => /^whd_[0-9a-f]{32}$/.test(id)));
    assert.deepEqual(await store.enqueueWebhookEvent(event('evt-1'), { now: T0 + 1 }), []);
    const [delivery] = await store.listDeliveries('wh_alarms', 10);
    assert.deepEqual(delivery, {
      id: delivery!.id,
      webhookId: 'wh_alarms',
      eventId: 'evt-1',
      eventKind: 'alarm.firing',
      eventAt: new Date(T0 - 5_000).toISOString(),
      payload: { alarm: 'battery-low', deviceId: 'CART-1' },
      state: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(T0).toISOString(),
      lastStatus: null,
      lastError: null,
      createdAt: new Date(T0).toISOString(),
      deliveredAt: null,
    });
    assert.deepEqual(await store.listDeliveries('wh_ota', 10), []);
  });

  it('enqueues a ping for one webhook only, whatever its filter', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.addWebhook(webhook('wh_all'));
    await store.addWebhook(webhook('wh_ota', ['ota.halted']));
    const ids = await store.enqueueWebhookEvent(event('ping-1', 'ping'), {
      now: T0,
      webhookId: 'wh_ota',
    });
    assert.equal(ids.length, 1);
    assert.equal((await store.listDeliveries('wh_ota', 10))[0]?.eventKind, 'ping');
    assert.deepEqual(await store.listDeliveries('wh_all', 10), []);
  });

  it('claims due deliveries with what signing needs, leased so a second claim skips them', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.addWebhook(webhook('wh_1'));
    await store.enqueueWebhookEvent(event('evt-1'), { now: T0 });
    await store.enqueueWebhookEvent(event('evt-2'), { now: T0 + 10 });
    assert.deepEqual(await store.claimDueDeliveries(T0 - 1, 10, 60_000), [], 'none due yet');
    const claimed = await store.claimDueDeliveries(T0 + 10, 1, 60_000);
    assert.equal(claimed.length, 1);
    assert.deepEqual(
      { ...claimed[0]!, id: 'x' },
      {
        id: 'x',
        webhookId: 'wh_1',
        url: 'https://hooks.example/wh_1',
        secret: 'whsec_wh_1',
        event: event('evt-1'),
        attempts: 0,
      },
    );
    const second = await store.claimDueDeliveries(T0 + 10, 10, 60_000);
    assert.deepEqual(
      second.map((c) => c.event.id),
      ['evt-2'],
    );
    assert.deepEqual(await store.claimDueDeliveries(T0 + 59_000, 10, 60_000), []);
    const afterLease = await store.claimDueDeliveries(T0 + 60_010, 10, 60_000);
    assert.equal(afterLease.length, 2, 'a lease that ran out frees the delivery again');
  });

  it('records attempts: a retry stays pending until its time, a 2xx is final', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.addWebhook(webhook('wh_1'));
    const [id] = await store.enqueueWebhookEvent(event('evt-1'), { now: T0 });
    await store.claimDueDeliveries(T0, 10, 60_000);
    await store.recordDeliveryAttempt(id!, {
      at: T0 + 100,
      status: 500,
      error: 'HTTP 500',
      result: 'retry',
      nextAttemptAt: T0 + 10_000,
    });
    let [d] = await store.listDeliveries('wh_1', 10);
    assert.equal(d?.state, 'pending');
    assert.equal(d?.attempts, 1);
    assert.equal(d?.lastStatus, 500);
    assert.equal(d?.nextAttemptAt, new Date(T0 + 10_000).toISOString());
    assert.deepEqual(await store.claimDueDeliveries(T0 + 9_999, 10, 60_000), []);
    assert.equal((await store.claimDueDeliveries(T0 + 10_000, 10, 60_000)).length, 1);
    const delivered = { at: T0 + 10_100, status: 204, error: null, result: 'delivered' } as const;
    await store.recordDeliveryAttempt(id!, delivered);
    // A late duplicate outcome (a second dispatcher after a lease ran out) changes nothing.
    await store.recordDeliveryAttempt(id!, { ...delivered, status: 500, result: 'failed' });
    [d] = await store.listDeliveries('wh_1', 10);
    assert.equal(d?.state, 'delivered');
    assert.equal(d?.attempts, 2);
    assert.equal(d?.lastStatus, 204);
    assert.equal(d?.lastError, null);
    assert.equal(d?.deliveredAt, new Date(T0 + 10_100).toISOString());
    assert.deepEqual(await store.claimDueDeliveries(T0 + 999_999, 10, 60_000), []);
    assert.deepEqual(await store.listDeliveries('wh_1', 10, 'pending'), []);
    assert.equal((await store.listDeliveries('wh_1', 10, 'delivered')).length, 1);
  });

  it('lists deliveries newest first, up to the limit, and drops them with their webhook', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.addWebhook(webhook('wh_1'));
    for (let i = 1; i <= 3; i++)
      await store.enqueueWebhookEvent(event(`evt-${i}`), { now: T0 + i });
    const [id] = await store.enqueueWebhookEvent(event('evt-4'), { now: T0 + 4 });
    await store.recordDeliveryAttempt(id!, {
      at: T0 + 5,
      status: null,
      error: 'ECONNREFUSED',
      result: 'failed',
    });
    assert.deepEqual(
      (await store.listDeliveries('wh_1', 2)).map((d) => d.eventId),
      ['evt-4', 'evt-3'],
    );
    const [failed] = await store.listDeliveries('wh_1', 10, 'failed');
    assert.equal(failed?.lastError, 'ECONNREFUSED');
    assert.equal(failed?.lastStatus, null);
    await store.removeWebhook('wh_1');
    assert.deepEqual(await store.listDeliveries('wh_1', 10), []);
    assert.deepEqual(await store.claimDueDeliveries(T0 + 999_999, 10, 60_000), []);
  });
}
