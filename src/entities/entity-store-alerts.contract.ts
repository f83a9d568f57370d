import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import { T0 } from '../../test-support/entity-events.js';
import type { AlertView, EntityStore, NewAlert } from './entity-store.js';

const MINUTE = 60_000;

function newAlert(counter: number, storeId = 'store-1'): NewAlert {
  return {
    storeId,
    deviceId: 'CART-1',
    sessionId: randomUUID(),
    counter,
    kind: 'exit-without-pay',
    at: T0 + counter * MINUTE,
    evidence: { counter },
  };
}

async function raise(store: EntityStore, counter: number, storeId?: string): Promise<AlertView> {
  const alert = await store.recordAlert(newAlert(counter, storeId));
  assert.ok(alert);
  return alert;
}

/** Loss-prevention alert states (entity-store.contract.ts runs these). */
export function alertContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('raises an alert open and moves it to acknowledged then resolved, keeping who and when', async (t) => {
    const store = await open(t);
    if (!store) return;
    const raised = await raise(store, 1);
    assert.equal(raised.state, 'open');
    assert.equal(raised.acknowledgedBy, null);
    assert.equal(raised.resolvedAt, null);

    const acked = await store.transitionAlert(raised.id, {
      to: 'acknowledged',
      by: 'staff:anna',
      at: T0 + 5 * MINUTE,
    });
    assert.ok(acked.ok);
    assert.equal(acked.alert.state, 'acknowledged');
    assert.equal(acked.alert.acknowledgedBy, 'staff:anna');
    assert.equal(acked.alert.acknowledgedAt, new Date(T0 + 5 * MINUTE).toISOString());
    assert.equal(acked.alert.resolvedBy, null);

    const resolved = await store.transitionAlert(raised.id, {
      to: 'resolved',
      by: 'ops:olga',
      at: T0 + 9 * MINUTE,
    });
    assert.ok(resolved.ok);
    assert.equal(resolved.alert.state, 'resolved');
    assert.equal(resolved.alert.acknowledgedBy, 'staff:anna', 'the acknowledgement stays');
    assert.equal(resolved.alert.resolvedBy, 'ops:olga');
    assert.equal(resolved.alert.resolvedAt, new Date(T0 + 9 * MINUTE).toISOString());
    assert.deepEqual(await store.getAlert(raised.id), resolved.alert);
  });

  it('refuses impossible transitions and says the state the alert is in', async (t) => {
    const store = await open(t);
    if (!store) return;
    const alert = await raise(store, 1);
    const at = T0 + 2 * MINUTE;
    const resolved = await store.transitionAlert(alert.id, { to: 'resolved', by: 'staff:a', at });
    assert.ok(resolved.ok, 'an open alert may be resolved at once');
    assert.equal(resolved.alert.acknowledgedBy, null);
    for (const to of ['acknowledged', 'resolved'] as const) {
      const again = await store.transitionAlert(alert.id, { to, by: 'staff:b', at: at + 1 });
      assert.equal(again.ok, false);
      assert.ok(!again.ok && again.reason === 'state');
      assert.equal(again.alert.state, 'resolved');
      assert.equal(again.alert.resolvedBy, 'staff:a', 'the refused change wrote nothing');
    }
    const acked = await raise(store, 2);
    const first = await store.transitionAlert(acked.id, { to: 'acknowledged', by: 'x:1', at });
    assert.ok(first.ok);
    const second = await store.transitionAlert(acked.id, { to: 'acknowledged', by: 'x:2', at });
    assert.ok(!second.ok && second.reason === 'state');
    assert.equal(second.alert.acknowledgedBy, 'x:1');
  });

  it('lets only one of three simultaneous acknowledgements of an alert win', async (t) => {
    const store = await open(t);
    if (!store) return;
    const alert = await raise(store, 1);
    const results = await Promise.all(
      ['staff:a', 'staff:b', 'staff:c'].map((by) =>
        store.transitionAlert(alert.id, { to: 'acknowledged', by, at: T0 }),
      ),
    );
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1);
    assert.equal(
      (await store.getAlert(alert.id))?.acknowledgedBy,
      winners[0]?.alert.acknowledgedBy,
    );
  });

  it('finds nothing for an unknown or malformed alert id', async (t) => {
    const store = await open(t);
    if (!store) return;
    assert.equal(await store.getAlert(randomUUID()), undefined);
    assert.equal(await store.getAlert('not-an-id'), undefined);
    for (const id of [randomUUID(), 'not-an-id']) {
      const result = await store.transitionAlert(id, { to: 'resolved', by: 'ops:o', at: T0 });
      assert.deepEqual(result, { ok: false, reason: 'unknown-alert' });
    }
  });

  it("filters a store's alerts by state, newest first", async (t) => {
    const store = await open(t);
    if (!store) return;
    const [a1, a2, a3] = [await raise(store, 1), await raise(store, 2), await raise(store, 3)];
    await raise(store, 4, 'store-2');
    await store.transitionAlert(a1.id, { to: 'acknowledged', by: 'staff:a', at: T0 });
    await store.transitionAlert(a2.id, { to: 'resolved', by: 'staff:a', at: T0 });
    const ids = async (state?: 'open' | 'acknowledged' | 'resolved') =>
      (
        await store.listStoreAlerts('store-1', { limit: 10, ...(state ? { state } : {}) })
      ).alerts.map((a) => a.id);
    assert.deepEqual(await ids('open'), [a3.id]);
    assert.deepEqual(await ids('acknowledged'), [a1.id]);
    assert.deepEqual(await ids('resolved'), [a2.id]);
    assert.deepEqual(await ids(), [a3.id, a2.id, a1.id]);
    const page = await store.listStoreAlerts('store-1', { limit: 1, state: 'open' });
    assert.equal(page.alerts[0]?.state, 'open');
    assert.equal(page.next, null);
  });
}
