import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken, opsGet, platformFetch } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { closedPortUrl, startReceiver } from '../../../test-support/webhook-receiver.js';
import { verifyWebhook } from '../webhooks/webhook-signature.js';

const SECRET = 'integration-secret-0001';
const FAILURES = 3;
const TOTAL = 30;

// The whole path: a device's signed messages are stored, read from the feed by the integration,
// and POSTed to a real receiver that refuses the first few; the platform restarts half-way.
describe('a webhook integration through a running platform', () => {
  it('delivers every matching message at least once, in order, across failures and a restart', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0801');
    const receiver = await startReceiver(t, [
      ...Array.from({ length: FAILURES }, () => ({ status: 500 })),
      { status: 204 },
    ]);
    const broken = await closedPortUrl();
    const overrides = { integrationRetryBaseMs: 20 };
    let platform = await startTestPlatform(t, data, overrides);
    const put = await apiRequest(platform, 'PUT', '/v1/integrations', {
      body: {
        integrations: [
          {
            id: 'health-out',
            match: { deviceClass: ['cart'], type: ['health'] },
            sink: {
              kind: 'webhook',
              url: receiver.url,
              secret: SECRET,
              headers: { 'X-Team': 'ops' },
            },
            enabled: true,
          },
          { id: 'nowhere', match: {}, sink: { kind: 'webhook', url: broken }, enabled: true },
        ],
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    let cart = await connectDevice(t, platform.mqttUrl, dir);
    const send = async (from: number, to: number) => {
      for (let counter = from; counter <= to; counter++) {
        await cart.send(message(counter % 5 === 0 ? 'boot' : 'health', 'CART-0801', counter));
      }
    };
    const accepted = () =>
      receiver.requests
        .slice(FAILURES)
        .map((r) => JSON.parse(r.body) as { id: string; counter: number });
    await send(1, 15);
    await eventually(() => (accepted().length >= 4 ? true : undefined), 'some deliveries');
    await platform.stop();
    const acceptedBeforeRestart = accepted().length;

    platform = await startTestPlatform(t, data, overrides);
    cart = await connectDevice(t, platform.mqttUrl, dir);
    await send(16, TOTAL);
    const wanted = Array.from({ length: TOTAL }, (_, i) => i + 1).filter((c) => c % 5 !== 0);
    await eventually(
      () => (new Set(accepted().map((e) => e.counter)).size === wanted.length ? true : undefined),
      'every health message delivered',
      30_000,
    );

    // In order, none missing, no boot; a repeat only of what was in flight at the stop.
    const counters = accepted().map((e) => e.counter);
    const firstSeen = counters.filter((c, i) => counters.indexOf(c) === i);
    assert.deepEqual(firstSeen, wanted);
    assert.ok(counters.length - wanted.length <= 1, `repeats: ${counters.join(',')}`);
    const repeats = counters.filter((c, i) => counters.indexOf(c) !== i);
    for (const c of repeats)
      assert.equal(c, counters[acceptedBeforeRestart - 1], 'repeat of the last before the stop');
    assert.deepEqual(
      new Set(accepted().map((e) => e.id)),
      new Set(wanted.map((c) => `CART-0801:${c}`)),
    );
    // The refused first attempts were the first message, sent again until taken.
    assert.deepEqual(
      receiver.requests.slice(0, FAILURES + 1).map((r) => r.headers['fleetplane-delivery']),
      Array.from({ length: FAILURES + 1 }, () => 'CART-0801:1'),
    );

    for (const request of receiver.requests) {
      const check = verifyWebhook(
        SECRET,
        request.body,
        request.headers['fleetplane-signature'] as string,
        Date.now() / 1000,
      );
      assert.equal(check.ok, true, 'signed with the secret');
      assert.equal(request.headers['x-team'], 'ops');
      assert.equal(
        request.headers['fleetplane-delivery'],
        (JSON.parse(request.body) as { id: string }).id,
      );
      assert.equal(request.headers['fleetplane-event'], 'telemetry.health');
    }

    const listed = await apiRequest(platform, 'GET', '/v1/integrations');
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.ok(!JSON.stringify(listed.body).includes(SECRET), 'the secret is never listed');
    const status = await eventually(async () => {
      const s = (await apiRequest(platform, 'GET', '/v1/integrations')).body['status'] as {
        id: string;
        failing: boolean;
        lag: number;
      }[];
      const nowhere = s.find((x) => x.id === 'nowhere');
      return nowhere?.failing ? s : undefined;
    }, 'the integration with no receiver marked failing');
    assert.equal(status.find((x) => x.id === 'health-out')?.failing, false);
    assert.ok(status.find((x) => x.id === 'nowhere')!.lag > 0, 'it did not skip ahead');

    const log = await apiRequest(platform, 'GET', '/v1/integrations/health-out/deliveries');
    const { deliveries } = log.body as unknown as {
      deliveries: { outcome: string; status: number | null; deliveryId: string }[];
    };
    assert.equal(deliveries[0]?.outcome, 'delivered');
    const before = await apiRequest(platform, 'GET', '/v1/integrations/nowhere/deliveries?limit=3');
    const failed = before.body['deliveries'] as {
      outcome: string;
      status: number | null;
      error: string;
    }[];
    assert.equal(failed.length, 3);
    assert.ok(
      failed.every(
        (d) =>
          d.outcome === 'failed' && d.status === null && /ECONNREFUSED|fetch failed/.test(d.error),
      ),
    );

    const metrics = await (await platformFetch(platform)(`${platform.apiUrl}/metrics`)).text();
    assert.match(
      metrics,
      /fleetplane_integration_deliveries_total\{integration="health-out",outcome="delivered"\} \d+/,
    );
    assert.match(metrics, /fleetplane_integration_lag_events\{integration="nowhere"\} [1-9]/);
    assert.equal((await opsGet(platform, '/v1/integrations/none/deliveries')).status, 404);
  });

  it('refuses a bad document naming the path, and callers who are not ops', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const bad = await apiRequest(platform, 'PUT', '/v1/integrations', {
      body: {
        integrations: [
          {
            id: 'x',
            match: {},
            sink: { kind: 'jetstream', url: 'nats://127.0.0.1:4222', subject: 'a.{shop}' },
            enabled: true,
          },
        ],
      },
    });
    assert.equal(bad.status, 400);
    assert.equal(
      bad.body['message'],
      'integrations[0].sink.subject: unknown placeholder {shop}: use {class}, {type}, {device} or {store}',
    );
    const staff = await apiToken(platform, 'staff', 'berlin-1');
    for (const [method, path] of [
      ['GET', '/v1/integrations'],
      ['PUT', '/v1/integrations'],
      ['GET', '/v1/integrations/x/deliveries'],
    ] as const) {
      const r = await apiRequest(platform, method, path, {
        token: staff,
        body: method === 'PUT' ? { integrations: [] } : undefined,
      });
      assert.equal(r.status, 403, `${method} ${path}`);
    }
  });
});
