import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { shoppingTrip, shuffled, TestDevice } from '../../../../test-support/entity-events.js';
import { planProjection } from './plan.js';

describe('planProjection', () => {
  it('folds a batch into one row per device and per session', () => {
    const a = shoppingTrip(new TestDevice('CART-A'), { scans: 10 });
    const b = shoppingTrip(new TestDevice('CART-B'), { scans: 3 });
    const plan = planProjection([...a.events, ...b.events]);
    assert.deepEqual(
      plan.devices.map((d) => d.deviceId),
      ['CART-A', 'CART-B'],
    );
    assert.equal(plan.sessions.length, 2);
    assert.equal(plan.scans.length, 11 + 4);
    assert.equal(plan.payments.length, 2);
    assert.deepEqual(plan.storeIds, ['store-1']);
  });

  it('gives the same plan for the same events in any order', () => {
    const trip = shoppingTrip(new TestDevice('CART-A'), { scans: 12, identify: true });
    const sortScans = (p: ReturnType<typeof planProjection>) => ({
      ...p,
      scans: [...p.scans].sort((x, y) => x.counter - y.counter),
    });
    const expected = sortScans(planProjection(trip.events));
    for (const seed of [3, 5, 11]) {
      assert.deepEqual(sortScans(planProjection(shuffled(trip.events, seed))), expected);
    }
  });

  it('keeps the newest value of each register and the newest counter overall', () => {
    const cart = new TestDevice('CART-A');
    const old = cart.event('health', { battery_pct: 90 });
    const boot = cart.event('boot', { firmware_version: '9.9.9' });
    const fresh = cart.event('health', { battery_pct: 20, firmware_version: '2.0.0' });
    const fault = cart.event('fault', { code: 'nfc-error' });
    const [device] = planProjection([fault, fresh, boot, old]).devices;
    assert.equal(device?.status?.value.batteryPct, 20);
    assert.equal(device?.status?.counter, 3);
    assert.equal(device?.firmware?.value, '2.0.0');
    assert.equal(device?.fault?.value.code, 'nfc-error');
    assert.equal(device?.lastCounter, 4);
  });

  it('records no payment for a session that never attempted one', () => {
    const cart = new TestDevice('CART-A');
    const session_id = randomUUID();
    const plan = planProjection([
      cart.event('session-end', {
        session_id,
        status: 'abandoned',
        payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
      }),
    ]);
    assert.deepEqual(plan.payments, []);
    assert.equal(plan.sessions[0]?.status?.value, 'abandoned');
  });

  it('keeps the method and time of the newest identify, and nothing of its credential', () => {
    const cart = new TestDevice('CART-A');
    const session_id = randomUUID();
    const identify = cart.event('identify', { session_id, method: 'payment-token' });
    const [session] = planProjection([identify]).sessions;
    assert.deepEqual(session?.identify, {
      counter: identify.counter,
      value: { method: 'payment-token', at: identify.deviceTime },
    });
    assert.ok(identify.message.type === 'identify');
    assert.doesNotMatch(JSON.stringify(session), new RegExp(identify.message.credential.ct));
  });
});
