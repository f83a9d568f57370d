import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { apiRequest, platformFetch } from '../../test-support/api-client.js';
import { message } from '../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../../test-support/platform.js';
import { openStream, type SseEvent } from '../../test-support/sse-client.js';
import { issueToken, loadTokenKeys } from '../api/tokens.js';

// Decision 023's live stream on a real platform: carts of two stores connected over mutual TLS,
// their messages projected, and streams opened over HTTP as the console's pages open them.
describe('live stream (GET /v1/stream)', () => {
  it("gives staff their store's events within 2 s and nothing of another store, a customer only their own session", async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
    const berlinDir = await provisionDevice(data, 'CART-0701');
    const parisDir = await provisionDevice(data, 'CART-0702', 'cart', 'paris-1');
    const platform = await startTestPlatform(t, data, { streamHeartbeatMs: 300 });
    const berlinCart = await connectDevice(t, platform.mqttUrl, berlinDir);
    const parisCart = await connectDevice(t, platform.mqttUrl, parisDir);

    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const token = (claims: Parameters<typeof issueToken>[1]) =>
      issueToken(keys, claims, new Date());
    const { customerId } = await platform.entities.createAccount({
      kind: 'app-user',
      region: 'eu',
    });
    const staff = await openStream(
      t,
      platform,
      '/v1/stream',
      await token({ role: 'staff', store: 'berlin-1', subject: 'anna' }),
    );
    assert.equal(staff.status, 200);
    assert.match(staff.contentType ?? '', /^text\/event-stream/);
    const customer = await openStream(
      t,
      platform,
      '/v1/stream',
      await token({ role: 'customer', subject: customerId }),
    );
    const ops = await openStream(t, platform, '/v1/stream', await token({ role: 'ops' }));
    await eventually(() => (platform.live.subscribers === 3 ? true : undefined), 'subscribed');

    // Two sessions, one a store; the Berlin one belongs to the customer.
    const mine = randomUUID();
    const theirs = randomUUID();
    await berlinCart.send(message('session-start', 'CART-0701', 1, { session_id: mine }));
    await parisCart.send(message('session-start', 'CART-0702', 1, { session_id: theirs }));
    await eventually(
      async () =>
        (await platform.entities.getSession(mine)) && (await platform.entities.getSession(theirs))
          ? true
          : undefined,
      'both sessions projected',
    );
    assert.equal((await platform.entities.attachAccount(mine, customerId)).attached, true);

    const sentAt = Date.now();
    const scan = (session: string, counter: number, sku: string) =>
      message('scan', session === mine ? 'CART-0701' : 'CART-0702', counter, {
        session_id: session,
        scan_seq: counter - 1,
        sku,
        quantity: 2,
        price_cents: 150,
      });
    await parisCart.send(scan(theirs, 2, 'SKU-P'));
    await parisCart.send(
      message('health', 'CART-0702', 3, { session_id: theirs, battery_pct: 33 }),
    );
    await berlinCart.send(scan(mine, 2, 'SKU-B'));
    await berlinCart.send(message('health', 'CART-0701', 3, { session_id: mine, battery_pct: 64 }));

    const about = (kind: string, session: string) => (e: SseEvent) =>
      e.event === kind && e.data['sessionId'] === session;
    const staffScan = await staff.waitFor(
      about('scan', mine),
      'the scan on the staff stream',
      2000,
    );
    assert.ok(staffScan.at - sentAt < 2000);
    assert.equal(staffScan.data['sku'], 'SKU-B');
    assert.equal(staffScan.data['storeId'], 'berlin-1');
    assert.match(staffScan.id ?? '', /^[0-9a-z]+-[0-9]+$/);
    const basket = await staff.waitFor(
      (e) => about('session', mine)(e) && e.data['itemCount'] === 2,
      'the basket on the staff stream',
      2000,
    );
    assert.equal(basket.data['totalCents'], 300);
    assert.equal(basket.data['status'], 'active');
    assert.deepEqual(basket.data['lines'], [
      {
        sku: 'SKU-B',
        barcode: '4006381333931',
        quantity: 2,
        priceCents: 150,
        weightMismatch: false,
      },
    ]);
    const health = await staff.waitFor(
      (e) => e.event === 'cart' && e.data['change'] === 'health',
      "the cart's health on the staff stream",
      2000,
    );
    assert.equal(health.data['deviceId'], 'CART-0701');
    assert.equal(health.data['batteryPct'], 64);

    await customer.waitFor(about('scan', mine), 'the scan on the customer stream', 2000);
    await customer.waitFor(about('session', mine), 'the basket on the customer stream', 2000);

    // Ops see both stores; by then the staff and customer streams had every chance to get them.
    await ops.waitFor(about('scan', theirs), 'the Paris scan on the ops stream', 2000);
    await ops.waitFor(
      (e) => e.event === 'cart' && e.data['deviceId'] === 'CART-0702',
      'the Paris cart on the ops stream',
    );
    await ops.waitFor(
      (e) => e.event === 'cart' && e.data['deviceId'] === 'CART-0701',
      'the Berlin cart on the ops stream',
    );
    assert.deepEqual(
      staff.events.filter((e) => e.data['storeId'] !== 'berlin-1'),
      [],
      'nothing of Paris reached Berlin staff',
    );
    assert.ok(staff.events.every((e) => ['session', 'scan', 'cart', 'alert'].includes(e.event)));
    assert.deepEqual(
      customer.events.filter((e) => e.data['sessionId'] !== mine),
      [],
      'the customer saw only their own session',
    );
    assert.ok(customer.events.every((e) => e.event === 'session' || e.event === 'scan'));
  });

  it('keeps a quiet stream open with heartbeats, narrows by query, and frees the subscription when the client goes', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0711');
    await provisionDevice(data, 'CART-0712');
    const platform = await startTestPlatform(t, data, { streamHeartbeatMs: 200 });
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const ops = await issueToken(keys, { role: 'ops' }, new Date());
    const staff = await issueToken(keys, { role: 'staff', store: 'berlin-1' }, new Date());

    const quiet = await openStream(t, platform, '/v1/stream?device=CART-0712', ops);
    await eventually(
      () => ((quiet.raw().match(/^: heartbeat$/gm) ?? []).length >= 2 ? true : undefined),
      'two heartbeats',
      5000,
    );
    await cart.send(message('health', 'CART-0711', 1, { battery_pct: 50 }));
    const all = await openStream(t, platform, '/v1/stream', ops);
    await cart.send(message('health', 'CART-0711', 2, { battery_pct: 49 }));
    await all.waitFor((e) => e.data['batteryPct'] === 49, 'the second health report');
    assert.deepEqual(quiet.events, [], 'another cart than the one asked for');

    // Reconnecting with Last-Event-ID replays what was missed, and only that.
    const seen = all.events[all.events.length - 1]!;
    await cart.send(message('health', 'CART-0711', 3, { battery_pct: 48 }));
    await all.waitFor((e) => e.data['batteryPct'] === 48, 'the third health report');
    const resumed = await openStream(t, platform, '/v1/stream', ops, { 'last-event-id': seen.id! });
    const replayed = await resumed.waitFor((e) => e.event === 'cart', 'a replayed event');
    assert.equal(replayed.data['batteryPct'], 48);
    assert.ok(!resumed.events.some((e) => e.data['batteryPct'] === 49));

    const before = platform.live.subscribers;
    assert.equal(before, 3);
    quiet.close();
    await eventually(
      () => (platform.live.subscribers === before - 1 ? true : undefined),
      'the closed stream unsubscribed',
    );

    // Refusals come before the stream opens, as JSON.
    const other = await apiRequest(platform, 'GET', '/v1/stream?store=paris-1', { token: staff });
    assert.equal(other.status, 403);
    const privacy = await issueToken(keys, { role: 'privacy' }, new Date());
    assert.equal((await apiRequest(platform, 'GET', '/v1/stream', { token: privacy })).status, 403);
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/stream?nope=1', { token: ops })).status,
      400,
    );
    const bad = await platformFetch(platform)(`${platform.apiUrl}/v1/stream`);
    assert.equal(bad.status, 401);

    // Stopping the platform ends the open streams instead of waiting for their clients.
    await platform.stop();
    await all.ended;
    await resumed.ended;
  });
});
