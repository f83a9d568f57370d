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
  // One identity service for the store: the spare cart seals to the same key.
  const spare = await testCart(t, {
    deviceId: 'CART-0002',
    clock: a.clock,
    timing: CALM,
    api: a.api,
  });
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
  it('knownCustomer: sealed loyalty identify, scans, authorized payment over checkout', async (t) => {
    const { broker, api, sessionEnds, result } = await run(t, 'knownCustomer');
    assert.equal(result.payment, 'authorized');
    const identify = broker.of('identify')[0]!;
    assert.equal(identify.method, 'loyalty');
    const loyalty = result.credentials.find((c) => c.kind === 'loyalty');
    assert.equal(api.open(identify), loyalty?.kind === 'loyalty' && loyalty.number);
    assert.equal(broker.of('scan').filter((s) => s.action === 'add').length, result.scanned);
    assert.equal(sessionEnds()[0]?.status, 'complete');
    assert.equal(api.accepted.length, 1, 'the paid session-end went over checkout');
    assert.equal(broker.of('session-end').length, 0, 'and not over MQTT as well');
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
    const { broker, sessionEnds, result } = await run(t, 'interruptedShop');
    const starts = broker.of('session-start');
    assert.equal(starts[0]?.reason, 'new');
    assert.ok(starts.length >= 2 && starts.slice(1).every((s) => s.reason === 'resume'));
    assert.ok(starts.every((s) => s.session_id === result.sessionIds[0]));
    assert.ok(broker.of('health').some((h) => h.state === 'sleep'));
    assert.equal(sessionEnds()[0]?.session_id, result.sessionIds[0]);
  });

  it('connectivityLoss: LTE-M, then store-and-forward, deferred payment, replayed in order', async (t) => {
    const { broker, result } = await run(t, 'connectivityLoss');
    // Offline checkout is deferred to the store's terminal: MQTT store-and-forward, no HTTPS.
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
    const { broker, api, spare, result, cart } = await run(t, 'batteryCliff');
    assert.equal(cart.state, 'dead');
    assert.equal(result.sessionIds.length, 2);
    assert.equal(broker.of('session-end')[0]?.status, 'transferred');
    const [a] = broker.of('identify');
    const [b] = spare.broker.of('identify');
    assert.ok(a && b);
    // Each sealed to its own cart and session, so the ciphertexts differ; opened, they match.
    assert.notDeepEqual(a.credential, b.credential);
    const credA = api.open(a);
    assert.ok(credA);
    assert.equal(api.open(b), credA, 'the same credential on both carts');
    assert.equal(api.open(a, { sessionId: b.session_id }), undefined, 'bound to its session');
    assert.equal(spare.sessionEnds()[0]?.status, 'complete');
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
