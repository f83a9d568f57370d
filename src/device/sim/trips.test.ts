import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SITE, testCart } from '../../../test-support/test-cart.js';
import { mulberry32 } from '../random.js';
import type { TripContext } from '../cart/fleet-cart.js';
import { pickTrip, SCENARIOS, TRIPS, type TripName } from './trips.js';

const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };
const QUICK = { items: 4, dwellMs: [5_000, 15_000] as const };

// Speeds stay low enough that a flash write (real milliseconds) is seconds, not minutes, of
// simulated time: the cart's pause timer must not fire between two scans of a busy test run.
async function run(t: Parameters<typeof testCart>[0], name: TripName, speed = 600) {
  const timing =
    name === 'interruptedShop'
      ? {}
      : name === 'parkingLot'
        ? { ...CALM, parkedPingMs: 600_000 }
        : CALM;
  const a = await testCart(t, { speed, timing });
  await a.cart.powerOn();
  const spare = await testCart(t, { deviceId: 'CART-0002', clock: a.clock, timing: CALM });
  const ctx: TripContext = {
    clock: a.clock,
    random: mulberry32(11),
    spareCart: () => spare.cart,
  };
  const result = await TRIPS[name](a.cart, ctx, { ...QUICK, parkedMs: 35 * 60_000 });
  await a.cart.flush(3000);
  await spare.cart.flush(3000);
  return { ...a, spare, result };
}

describe('trips over a cart (in-memory broker)', () => {
  it('knownCustomer: loyalty identify, scans, authorized payment', async (t) => {
    const { broker, result } = await run(t, 'knownCustomer');
    assert.equal(result.payment, 'authorized');
    assert.equal(broker.of('identify')[0]?.method, 'loyalty');
    assert.equal(broker.of('scan').filter((s) => s.action === 'add').length, result.scanned);
    assert.equal(broker.of('session-end')[0]?.status, 'complete');
    assert.deepEqual(broker.rejected, []);
  });

  it('guest: no identify at all', async (t) => {
    const { broker, result } = await run(t, 'guest');
    assert.equal(result.payment, 'authorized');
    assert.equal(broker.of('identify').length, 0);
  });

  it('midShopLoyalty: the identify comes after the first scans, in the same session', async (t) => {
    const { broker, result } = await run(t, 'midShopLoyalty');
    const identify = broker.of('identify')[0]!;
    assert.equal(identify.session_id, result.sessionIds[0]);
    assert.ok(broker.of('scan')[0]!.counter < identify.counter);
  });

  it('interruptedShop: sleeps while the customer is away and resumes the same session', async (t) => {
    const { broker, result } = await run(t, 'interruptedShop');
    const starts = broker.of('session-start');
    assert.equal(starts[0]?.reason, 'new');
    assert.ok(starts.length >= 2 && starts.slice(1).every((s) => s.reason === 'resume'));
    assert.ok(starts.every((s) => s.session_id === result.sessionIds[0]));
    assert.ok(broker.of('health').some((h) => h.state === 'sleep'));
    assert.equal(broker.of('session-end')[0]?.session_id, result.sessionIds[0]);
  });

  it('connectivityLoss: LTE-M, then store-and-forward, deferred payment, replayed in order', async (t) => {
    const { broker, result } = await run(t, 'connectivityLoss');
    assert.equal(result.payment, 'deferred');
    assert.ok(broker.received.some((r) => r.radio === 'lte-m'));
    const counters = broker.received.map((r) => r.message.counter);
    assert.deepEqual(
      counters,
      [...counters].sort((a, b) => a - b),
    );
    assert.equal(broker.of('session-end')[0]?.payment.status, 'deferred');
  });

  it('batteryCliff: transferred on cart A, identified and paid on the spare', async (t) => {
    const { broker, spare, result, cart } = await run(t, 'batteryCliff');
    assert.equal(cart.state, 'dead');
    assert.equal(result.sessionIds.length, 2);
    assert.equal(broker.of('session-end')[0]?.status, 'transferred');
    const [a] = broker.of('identify');
    const [b] = spare.broker.of('identify');
    assert.ok(a && b);
    const credential = (m: typeof a) =>
      m.method === 'loyalty'
        ? m.loyalty_number
        : m.method === 'payment-token'
          ? m.payment_token
          : m.app_code;
    const [credA, credB] = [credential(a), credential(b)];
    assert.deepEqual(credA, credB, 'the same credential on both carts');
    assert.equal(spare.broker.of('session-end')[0]?.status, 'complete');
  });

  it('parkingLot: pays, parked outside with hourly pings, then back in the store', async (t) => {
    // Pings every 10 simulated minutes here (hourly by default) to keep the speed low.
    const { broker, cart, result } = await run(t, 'parkingLot', 3000);
    assert.equal(result.payment, 'authorized');
    const pings = broker.of('health').filter((h) => h.state === 'parked-outside');
    assert.ok(pings.length >= 2, `pings ${pings.length}`);
    assert.equal(pings[0]?.location?.source, 'gnss');
    assert.equal(broker.of('fault').length, 0, 'paid: no exit fault');
    assert.equal(cart.state, 'idle');
    assert.equal(SITE.storeId, 'berlin-1');
  });

  it('scenario mixes pick trips by weight', () => {
    const random = mulberry32(3);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) {
      const name = pickTrip(SCENARIOS.golden, random);
      counts[name] = (counts[name] ?? 0) + 1;
    }
    assert.deepEqual(Object.keys(counts).sort(), Object.keys(SCENARIOS.golden.weights).sort());
    assert.ok(counts['knownCustomer']! > counts['midShopLoyalty']!);
    assert.equal(
      pickTrip(SCENARIOS.edge, () => 0),
      'connectivityLoss',
    );
  });
});
