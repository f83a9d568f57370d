import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { T0 } from '../../../test-support/entity-events.js';
import type { EntityStore, RaiseAlarm } from './entity-store.js';

const MINUTE = 60_000;

function raise(counter: number, key = 'battery-low:CART-1'): RaiseAlarm {
  return {
    key,
    ruleId: 'battery-low',
    severity: 'warning',
    storeId: 'store-1',
    deviceId: 'CART-1',
    at: T0 + counter * MINUTE,
    counter,
    reading: { battery_pct: 15 - counter },
  };
}

/** Operational alarms (decision 035; entity-store.contract.ts runs these). */
export function alarmContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('opens one alarm per key: seen again it is bumped, not duplicated, and a replayed message changes nothing', async (t) => {
    const store = await open(t);
    if (!store) return;
    const first = await store.raiseAlarm(raise(3));
    assert.equal(first.opened, true);
    assert.equal(first.alarm.state, 'firing');
    const again = await store.raiseAlarm(raise(5));
    assert.equal(again.opened, false);
    assert.equal(again.alarm.id, first.alarm.id);
    assert.equal(again.alarm.seen, 2);
    assert.deepEqual(again.alarm.reading, { battery_pct: 10 });
    assert.equal(again.alarm.lastAt, new Date(T0 + 5 * MINUTE).toISOString());
    const replay = await store.raiseAlarm(raise(4));
    assert.equal(replay.opened, false);
    assert.equal(replay.alarm.seen, 2, 'an older counter is a repeat');
    assert.deepEqual(await store.openAlarmKeys(), ['battery-low:CART-1']);
  });

  it('resolves the open alarm of a key as the rule, then a new firing opens a new alarm; a replay of the old one does not', async (t) => {
    const store = await open(t);
    if (!store) return;
    const first = await store.raiseAlarm(raise(3));
    const cleared = await store.clearAlarm('battery-low:CART-1', T0 + 6 * MINUTE, 'rule');
    assert.equal(cleared?.id, first.alarm.id);
    assert.equal(cleared?.state, 'resolved');
    assert.equal(cleared?.resolvedBy, 'rule');
    assert.equal(await store.clearAlarm('battery-low:CART-1', T0, 'rule'), undefined);
    assert.equal((await store.raiseAlarm(raise(3))).opened, false, 'the replayed raise');
    const second = await store.raiseAlarm(raise(9));
    assert.equal(second.opened, true);
    assert.notEqual(second.alarm.id, first.alarm.id);
    const history = await store.getAlarm(first.alarm.id);
    assert.deepEqual(
      history?.history.map((h) => [h.change, h.by]),
      [
        ['fired', 'rule'],
        ['resolved', 'rule'],
      ],
    );
  });

  it('is acknowledged only while firing and resolved by a person once, keeping who and when; lists filter by state and store', async (t) => {
    const store = await open(t);
    if (!store) return;
    const { alarm } = await store.raiseAlarm(raise(3));
    await store.raiseAlarm({ ...raise(1, 'shock:CART-2'), storeId: 'store-2', deviceId: 'CART-2' });
    const acked = await store.transitionAlarm(alarm.id, {
      to: 'acknowledged',
      by: 'ops:ana',
      at: T0 + 7 * MINUTE,
    });
    assert.ok(acked.ok);
    assert.equal(acked.alarm.acknowledgedBy, 'ops:ana');
    const twice = await store.transitionAlarm(alarm.id, {
      to: 'acknowledged',
      by: 'ops:bo',
      at: T0,
    });
    assert.equal(twice.ok, false);
    assert.deepEqual(
      await store.listAlarms({ state: 'acknowledged', limit: 10 }).then((a) => a.map((x) => x.id)),
      [alarm.id],
    );
    assert.deepEqual(
      await store
        .listAlarms({ storeId: 'store-2', limit: 10 })
        .then((a) => a.map((x) => x.deviceId)),
      ['CART-2'],
    );
    const resolved = await store.transitionAlarm(alarm.id, {
      to: 'resolved',
      by: 'ops:ana',
      at: T0 + 8 * MINUTE,
    });
    assert.ok(resolved.ok);
    assert.equal(resolved.alarm.resolvedBy, 'ops:ana');
    assert.deepEqual(await store.transitionAlarm('nope', { to: 'resolved', by: 'x', at: T0 }), {
      ok: false,
      reason: 'unknown-alarm',
    });
    assert.deepEqual(await store.openAlarmKeys(), ['shock:CART-2']);
  });

  it('keeps rule sets per profile with a version that grows on each change', async (t) => {
    const store = await open(t);
    if (!store) return;
    const doc = { profile: 'cart', rules: [] };
    const v1 = await store.putRuleSet('cart', doc, 'ops:ana', T0);
    assert.equal(v1.version, 1);
    const v2 = await store.putRuleSet(
      'cart',
      { ...doc, rules: [{ id: 'x' }] },
      'ops:bo',
      T0 + MINUTE,
    );
    assert.equal(v2.version, 2);
    assert.equal(v2.updatedBy, 'ops:bo');
    assert.deepEqual(
      (await store.listRuleSets()).map((s) => [s.profile, s.version, s.document]),
      [['cart', 2, { profile: 'cart', rules: [{ id: 'x' }] }]],
    );
  });
}
