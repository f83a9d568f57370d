import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { SHELF, testCart, until } from '../../../test-support/test-cart.js';
import { offsetEast } from './geo.js';
import { BATTERY_WARNING_PCT } from './power.js';
import type { Product } from '../sim/shelf.js';

const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };
const CARD = { kind: 'payment', cardId: 'card-test-1' } as const;
const items = (n: number): Product[] => SHELF.products.slice(0, n);

/** Scans until the read succeeds, as a customer does. */
async function scan(cart: Awaited<ReturnType<typeof testCart>>['cart'], product: Product) {
  for (let i = 0; i < 20; i++) {
    const r = await cart.scanItem(product);
    if (r.ok) return r;
  }
  throw new Error('no read in 20 tries');
}

describe('cart firmware', () => {
  it('shops as a guest: session, scans, a removal and a paid session-end, all valid and signed', async (t) => {
    const acks: number[] = [];
    const { cart, broker, sessionEnds } = await testCart(t, {
      timing: CALM,
      observer: { scanAcknowledged: (ms) => acks.push(ms) },
    });
    await cart.powerOn();
    const sessionId = await cart.startAsGuest();
    for (const p of items(5)) await scan(cart, p);
    let removed = await cart.removeItem(items(1)[0]!);
    while (!removed.ok && removed.reason === 'no-read')
      removed = await cart.removeItem(items(1)[0]!);
    assert.equal(removed.ok, true);
    const paid = await cart.checkout(CARD);
    assert.equal(paid.status, 'authorized');
    assert.ok(await cart.flush(2000));

    assert.equal(broker.of('boot').length, 1);
    assert.equal(broker.of('session-start')[0]?.session_id, sessionId);
    const scans = broker.of('scan');
    assert.equal(scans.length, 6);
    assert.deepEqual(
      scans.map((s) => s.scan_seq),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(scans[5]?.action, 'remove');
    const end = sessionEnds()[0]!;
    assert.equal(end.status, 'complete');
    assert.equal(end.item_count, 4);
    const expected = items(5)
      .slice(1)
      .reduce((s, p) => s + p.priceCents, 0);
    assert.equal(end.total_cents, expected);
    assert.equal(end.payment.status, 'authorized');
    assert.equal(end.payment.amount_cents, expected);
    assert.match(end.payment.auth_token ?? '', /^auth_/);
    assert.deepEqual(broker.rejected, []);
    assert.ok(acks.length === 6 && acks.every((ms) => ms < 200), `acks ${acks}`);
    assert.equal(cart.state, 'idle');
  });

  it('fails over to LTE-M, buffers with both radios down, and replays in counter order with the original timestamps', async (t) => {
    const delivered: { counter: number; replayed: boolean }[] = [];
    const acks: { ms: number; online: boolean }[] = [];
    const { cart, broker } = await testCart(t, {
      timing: CALM,
      observer: {
        delivered: (m, replayed) => delivered.push({ counter: m.counter, replayed }),
        scanAcknowledged: (ms, online) => acks.push({ ms, online }),
      },
    });
    await cart.powerOn();
    await cart.startAsGuest();
    await scan(cart, items(1)[0]!);
    cart.faults.setWifi(false);
    await until(() => cart.link === 'lte-m', 'LTE-M');
    await scan(cart, items(2)[1]!);
    await cart.flush(2000);
    assert.equal(broker.received.at(-1)?.radio, 'lte-m');

    cart.faults.setCellular(false);
    await until(() => cart.link === 'none', 'no link');
    const offlineFrom = broker.received.length;
    for (const p of items(6).slice(2)) await scan(cart, p);
    const pay = await cart.checkout(CARD);
    assert.equal(pay.status, 'deferred', 'offline: the store terminal takes the payment');
    assert.equal(cart.view.warnings.includes('use-store-terminal'), true);
    assert.ok(cart.buffered >= 5);
    assert.equal(broker.received.length, offlineFrom);

    cart.faults.setWifi(true);
    assert.ok(await cart.flush(3000));
    const replay = broker.received.slice(offlineFrom).map((r) => r.message);
    const counters = replay.map((m) => m.counter);
    assert.deepEqual(
      counters,
      [...counters].sort((a, b) => a - b),
      'in counter order',
    );
    const end = replay.find((m) => m.type === 'session-end');
    assert.equal(end?.type === 'session-end' && end.payment.status, 'deferred');
    assert.equal(end?.type === 'session-end' && end.payment.auth_token, undefined);
    const replayedScans = replay.filter((m) => m.type === 'scan');
    assert.equal(replayedScans.length, 4);
    // Original timestamps: created before the link came back, not at delivery.
    const lastOfflineTs = Date.parse(replay.at(-1)!.ts);
    assert.ok(replayedScans.every((s) => Date.parse(s.ts) <= lastOfflineTs));
    assert.ok(delivered.filter((d) => d.replayed).length >= 5);
    assert.ok(acks.filter((a) => !a.online).every((a) => a.ms < 200));
    assert.equal(acks.filter((a) => !a.online).length, 4);
  });

  it('executes a command once: a second delivery answers duplicate with the first outcome', async (t) => {
    const { cart, broker } = await testCart(t, { timing: CALM });
    await cart.powerOn();
    await cart.tap({ kind: 'loyalty', number: '6012345678901234' });
    const sessionId = cart.sessionId!;
    const carried = [
      { barcode: items(1)[0]!.barcode, sku: 'SKU-00001', quantity: 2, price_cents: 100 },
    ];
    const request = broker.command('attach-customer', {
      session_id: sessionId,
      customer_id: randomUUID(),
      first_name: 'Ana',
      carried_lines: carried,
    });
    await until(() => broker.of('command-response').length === 1, 'first response');
    broker.deliver(request);
    await until(() => broker.of('command-response').length === 2, 'second response');
    const [first, second] = broker.of('command-response');
    assert.equal(first?.status, 'succeeded');
    assert.equal(first?.duplicate, false);
    assert.equal(second?.status, 'succeeded');
    assert.equal(second?.duplicate, true);
    assert.equal(cart.view.greeting, 'Hello, Ana');
    assert.equal(cart.view.lines[0]?.quantity, 2, 'the carried basket is added once');

    broker.command('ping', undefined, { expiresInMs: -1000, now: Date.now() });
    await until(() => broker.of('command-response').length === 3, 'expired response');
    assert.equal(broker.of('command-response')[2]?.status, 'rejected');
    assert.equal(broker.of('command-response')[2]?.code, 'expired');

    broker.command('cancel-session', { session_id: randomUUID() });
    await until(() => broker.of('command-response').length === 4, 'mismatch');
    assert.equal(broker.of('command-response')[3]?.code, 'session-mismatch');
    broker.command('cancel-session', { session_id: sessionId });
    await until(() => broker.of('session-end').length === 1, 'voided');
    assert.equal(broker.of('session-end')[0]?.status, 'voided');
  });

  it('greets a customer the cloud did not name with "Welcome back"', async (t) => {
    const { cart, broker } = await testCart(t, { timing: CALM });
    await cart.powerOn();
    await cart.tap({ kind: 'app-code', code: 'K7Q2ZX9M' });
    assert.equal(broker.of('identify').length, 0, 'not yet delivered');
    await cart.flush(2000);
    assert.equal(broker.of('identify')[0]?.method, 'app-code');
    broker.command('attach-customer', { customer_id: randomUUID() });
    await until(() => broker.of('command-response').length === 1, 'response');
    assert.equal(cart.view.greeting, 'Welcome back');
  });

  it('pauses and sleeps when the customer walks away, holding the session; a tap resumes it', async (t) => {
    const { cart, broker } = await testCart(t, {
      speed: 1200,
      // Half a real second before the pause: a loaded machine must not pause the cart mid-scan.
      timing: { pauseAfterMs: 600_000, sleepAfterMs: 1_200_000, idleSleepAfterMs: 7_200_000 },
    });
    await cart.powerOn();
    const sessionId = await cart.startAsGuest();
    await scan(cart, items(1)[0]!);
    // Asleep first, then the last messages go out and the radio is switched off.
    await until(() => cart.state === 'sleep' && cart.link === 'none', 'sleep, radio off', 20_000);
    assert.equal(cart.sessionId, sessionId);
    assert.ok(broker.of('health').some((h) => h.state === 'paused' && h.session_id === sessionId));

    const tapped = await cart.tap({ kind: 'loyalty', number: '6012345678901234' });
    assert.equal(tapped.sessionId, sessionId);
    // The resume and the identify go out one after the other; on a loaded machine the check can
    // land between them.
    await until(
      () => broker.of('session-start').length === 2 && broker.of('identify').length === 1,
      'resume and identify',
    );
    const starts = broker.of('session-start');
    assert.deepEqual(
      starts.map((s) => s.reason),
      ['new', 'resume'],
    );
    assert.equal(broker.of('identify')[0]?.session_id, sessionId);
    await scan(cart, items(2)[1]!);
    assert.equal(cart.view.lines.length, 2);
  });

  it('keeps a session and its queue through a reboot, the sealed identify included', async (t) => {
    const { cart, broker } = await testCart(t, { timing: CALM });
    await cart.powerOn();
    await cart.startAsGuest();
    await scan(cart, items(1)[0]!);
    cart.faults.setWifi(false);
    cart.faults.setCellular(false);
    await until(() => cart.link === 'none', 'offline');
    await cart.tap({ kind: 'loyalty', number: '6012345678901234' });
    await scan(cart, items(2)[1]!);
    const before = cart.buffered;
    await cart.reboot();
    assert.equal(cart.state, 'paused', 'the held session waits for its customer');
    assert.equal(cart.buffered, before + 1, 'all of it kept, boot added');
    cart.faults.setWifi(true);
    // Generous deadlines: a loaded machine (the whole suite on two cores) replays slowly.
    assert.ok(await cart.flush(15_000), 'the queue drains once the link is back');
    // Sealed, the identify is ciphertext and may wait in flash like any other message.
    assert.equal(broker.of('identify').length, 1, 'the offline identify survives a reboot');
    await scan(cart, items(3)[2]!);
    assert.ok(await cart.flush(15_000));
    assert.deepEqual(
      broker.of('scan').map((s) => s.scan_seq),
      [1, 2, 3],
    );
    assert.equal(broker.of('session-start').at(-1)?.reason, 'resume');
    const counters = broker.received.map((r) => r.message.counter);
    assert.equal(new Set(counters).size, counters.length, 'no counter reused');
  });

  it('on a battery cliff warns, asks for a card, transfers the session and goes dead', async (t) => {
    const { cart, broker } = await testCart(t, { speed: 3000, timing: CALM });
    await cart.powerOn();
    await cart.startAsGuest();
    for (const p of items(3)) await scan(cart, p);
    cart.faults.drainBatteryToCliff();
    await until(() => cart.view.warnings.includes('tap-card-to-transfer'), 'cliff warning');
    assert.ok(cart.view.warnings.includes('battery-swap'));
    await cart.tap(CARD);
    await until(() => cart.state === 'dead', 'dead');
    const end = broker.of('session-end')[0]!;
    assert.equal(end.status, 'transferred');
    assert.equal(end.contents.length, 3);
    assert.equal(broker.of('identify')[0]?.method, 'payment-token');
    assert.equal(broker.of('fault')[0]?.code, 'battery-cliff');
    // The cloud's battery alarm reads health: the charge that set the warning (rounded to 0.1 %) was reported,
    // even though the cart cut off before its next periodic report.
    assert.ok(
      broker.of('health').some((h) => h.battery_pct <= BATTERY_WARNING_PCT),
      'a health report at the warning level',
    );
    await assert.rejects(cart.powerOn());
    cart.faults.swapBattery();
    await cart.powerOn();
    assert.equal(cart.state, 'idle');
  });

  it('brought to the dock mid-transfer, is found flat, gets a fresh pack and reports from the dock', async (t) => {
    const { cart, broker } = await testCart(t, { speed: 3000, timing: CALM });
    await cart.powerOn();
    await cart.startAsGuest();
    for (const p of items(2)) await scan(cart, p);
    cart.faults.drainBatteryToCliff();
    await until(() => cart.view.warnings.includes('tap-card-to-transfer'), 'cliff warning');
    void cart.tap(CARD);
    // The card is read and the transfer under way: the cart is sending its last sync.
    await until(() => broker.of('identify').length > 0, 'identify');
    await cart.returnToDock();
    assert.equal(cart.state, 'charging');
    assert.ok(await cart.flush(15_000));
    assert.equal(broker.of('session-end')[0]?.status, 'transferred');
    const last = broker.of('health').at(-1)!;
    assert.ok(last.charging && last.battery_pct > 90, JSON.stringify(last));
  });

  it('parked outside: no sessions, hourly GNSS pings over LTE-M; an unpaid exit is a fault', async (t) => {
    const { cart, broker } = await testCart(t, { speed: 36_000, timing: CALM });
    await cart.powerOn();
    await cart.startAsGuest();
    await scan(cart, items(1)[0]!);
    await cart.moveTo(offsetEast({ lat: 52.52, lon: 13.405 }, 200));
    assert.equal(cart.state, 'parked-outside');
    assert.equal((await cart.tap(CARD)).refused, 'parked-outside');
    await until(
      () => broker.of('health').filter((h) => h.state === 'parked-outside').length >= 3,
      'pings',
      5000,
    );
    const pings = broker.received.filter(
      (r) => r.message.type === 'health' && r.message.state === 'parked-outside',
    );
    assert.ok(pings.every((p) => p.radio === 'lte-m'));
    const h = pings[0]!.message;
    assert.equal(h.type === 'health' && h.location?.source, 'gnss');
    assert.equal(broker.of('fault')[0]?.code, 'exit-without-payment');
    assert.equal(broker.of('session-end')[0]?.status, 'abandoned');

    await cart.moveTo({ lat: 52.52, lon: 13.405 });
    assert.equal(cart.state, 'idle');
    await cart.flush(2000);
    assert.equal(broker.received.at(-1)?.radio, 'wifi');
  });

  it('counts, logs and shows every message the cloud rejects', async (t) => {
    const rejected: string[] = [];
    const { cart, broker, warnings } = await testCart(t, {
      timing: CALM,
      observer: { rejected: (f) => rejected.push(f.reason) },
    });
    await cart.powerOn();
    cart.faults.setPayloadCorruption(1);
    await cart.startAsGuest();
    await scan(cart, items(1)[0]!);
    await cart.flush(2000);
    await until(() => cart.rejections.total >= 2, 'rejections');
    assert.equal(cart.rejections.total, broker.rejected.length);
    assert.equal(rejected.length, cart.rejections.total);
    assert.equal(warnings.length, cart.rejections.total);
    assert.equal(cart.view.rejected, cart.rejections.total);
  });

  it('applies desired health intervals and maintenance mode from the shadow', async (t) => {
    const { cart, broker, clock } = await testCart(t, { speed: 6000, timing: CALM });
    await cart.powerOn();
    await cart.flush(2000);
    const before = broker.of('health').length;
    // 10 minutes of simulated idle at a 60 s interval instead of 5 min.
    const desired = {
      schema_version: 1 as const,
      device_id: 'CART-0001',
      type: 'shadow-desired' as const,
      ts: new Date().toISOString(),
      version: 3,
      desired: { idle_health_interval_s: 60, maintenance_mode: true },
    };
    broker.sendDesired(desired);
    await until(() => cart.state === 'maintenance', 'maintenance');
    await until(() => broker.of('shadow-report').length === 1, 'report');
    assert.equal(broker.of('shadow-report')[0]?.desired_version, 3);
    // Twenty simulated minutes, waited on the simulated clock: the default 5-minute interval
    // gives at most five reports there (one more from the state change), a 60 s one about twenty.
    const from = clock.now();
    await until(() => clock.now() - from >= 20 * 60_000, 'twenty simulated minutes');
    assert.ok(broker.of('health').length - before >= 8, 'health every simulated minute');
    assert.equal((await cart.tap(CARD)).refused, 'maintenance');
  });

  it('takes each desired document as the whole desired state and ignores an older one', async (t) => {
    const { cart, broker } = await testCart(t, { speed: 6000, timing: CALM });
    await cart.powerOn();
    await cart.flush(2000);
    const document = (version: number, desired: Record<string, unknown>) => ({
      schema_version: 1 as const,
      device_id: 'CART-0001',
      type: 'shadow-desired' as const,
      ts: new Date().toISOString(),
      version,
      desired,
    });
    broker.sendDesired(document(4, { maintenance_mode: true, log_level: 'debug' }));
    await until(() => cart.state === 'maintenance', 'maintenance');
    // Version 5 no longer holds maintenance_mode (removed in the cloud): the cart leaves it.
    broker.sendDesired(document(5, { log_level: 'debug' }));
    await until(() => broker.of('shadow-report').length === 2, 'second report');
    assert.equal(cart.state, 'idle');
    // A late redelivery of version 4 changes nothing and is not acknowledged.
    broker.sendDesired(document(4, { maintenance_mode: true, log_level: 'debug' }));
    broker.sendDesired(document(6, { log_level: 'info' }));
    await until(() => broker.of('shadow-report').length === 3, 'third report');
    assert.deepEqual(
      broker.of('shadow-report').map((r) => r.desired_version),
      [4, 5, 6],
    );
    assert.equal(cart.state, 'idle');
  });
});
