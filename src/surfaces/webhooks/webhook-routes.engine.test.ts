import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken, platformFetch } from '../../../test-support/api-client.js';
import { eventually, fleetDataDir, startTestPlatform } from '../../../test-support/platform.js';
import { startReceiver } from '../../../test-support/webhook-receiver.js';
import { verifyWebhook } from './webhook-signature.js';

// Webhooks through a real platform: the API adds them, the platform's dispatcher delivers a ping
// and an alarm event to a real receiver, which checks each signature the way an operator would.
describe('webhooks API (/v1/webhooks)', () => {
  it('adds a webhook, delivers a signed ping and an alarm event to it, and lists the deliveries', async (t) => {
    const receiver = await startReceiver(t);
    const platform = await startTestPlatform(t, await fleetDataDir(t));

    const added = await apiRequest(platform, 'POST', '/v1/webhooks', {
      body: { url: receiver.url, events: ['alarm.firing'] },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const { id, secret } = added.body as { id: string; secret: string };
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.deepEqual(added.body['events'], ['alarm.firing']);
    assert.match(String(added.body['createdBy']), /^ops:/);

    const listed = await apiRequest(platform, 'GET', '/v1/webhooks');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      (listed.body['webhooks'] as { id: string; url: string }[]).map((w) => [w.id, w.url]),
      [[id, receiver.url]],
    );
    assert.ok(!JSON.stringify(listed.body).includes(secret), 'the secret is never listed');
    assert.ok(!JSON.stringify(listed.body).includes('whsec_'));

    const ping = await apiRequest(platform, 'POST', `/v1/webhooks/${id}/ping`);
    assert.equal(ping.status, 202, JSON.stringify(ping.body));
    const [pinged] = await receiver.received(1);
    const nowSeconds = Date.now() / 1000;
    const signature = pinged!.headers['fleetplane-signature'] as string;
    assert.equal(verifyWebhook(secret, pinged!.body, signature, nowSeconds).ok, true);
    assert.equal(pinged!.headers['fleetplane-delivery'], ping.body['deliveryId']);
    assert.equal(pinged!.headers['fleetplane-event'], 'ping');
    assert.equal(JSON.parse(pinged!.body).kind, 'ping');

    // The alarm engine's way in: a kind the filter takes is delivered, another is not.
    const at = Date.now();
    const payload = { alarm: 'battery-low', deviceId: 'CART-1' };
    const alarm = { id: 'alarm-1:firing', kind: 'alarm.firing', at, payload };
    assert.equal((await platform.enqueueWebhookEvent(alarm)).length, 1);
    assert.deepEqual(await platform.enqueueWebhookEvent(alarm), [], 'the same event again');
    assert.deepEqual(
      await platform.enqueueWebhookEvent({ ...alarm, id: 'ota-1', kind: 'ota.halted' }),
      [],
    );
    const [, fired] = await receiver.received(2);
    assert.equal(
      verifyWebhook(
        secret,
        fired!.body,
        fired!.headers['fleetplane-signature'] as string,
        Date.now() / 1000,
      ).ok,
      true,
    );
    assert.deepEqual(JSON.parse(fired!.body), {
      id: 'alarm-1:firing',
      kind: 'alarm.firing',
      at: new Date(at).toISOString(),
      ...payload,
    });

    const delivered = await eventually(async () => {
      const log = await apiRequest(
        platform,
        'GET',
        `/v1/webhooks/${id}/deliveries?state=delivered`,
      );
      assert.equal(log.status, 200, JSON.stringify(log.body));
      const deliveries = log.body['deliveries'] as { eventKind: string; attempts: number }[];
      return deliveries.length === 2 ? deliveries : undefined;
    }, 'both deliveries recorded as delivered');
    assert.deepEqual(
      delivered.map((d) => [d.eventKind, d.attempts]),
      [
        ['alarm.firing', 1],
        ['ping', 1],
      ],
    );
    const pending = await apiRequest(
      platform,
      'GET',
      `/v1/webhooks/${id}/deliveries?state=pending`,
    );
    assert.deepEqual(pending.body['deliveries'], []);
    assert.equal(receiver.requests.length, 2);

    const removed = await apiRequest(platform, 'DELETE', `/v1/webhooks/${id}`);
    assert.equal(removed.status, 204);
    const gone = await apiRequest(platform, 'GET', `/v1/webhooks/${id}/deliveries`);
    assert.equal(gone.status, 404);
    assert.equal((await apiRequest(platform, 'POST', `/v1/webhooks/${id}/ping`)).status, 404);
    assert.equal((await apiRequest(platform, 'DELETE', `/v1/webhooks/${id}`)).status, 404);

    const openapi = await platformFetch(platform)(`${platform.apiUrl}/openapi.json`);
    const { paths } = (await openapi.json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/v1/webhooks',
      '/v1/webhooks/{id}',
      '/v1/webhooks/{id}/deliveries',
      '/v1/webhooks/{id}/ping',
    ]) {
      assert.ok(paths[path], `${path} is in the OpenAPI document`);
    }
  });

  it('refuses a plain-http URL to another host with why, bad input, and callers who are not ops', async (t) => {
    const platform = await startTestPlatform(t, await fleetDataDir(t));
    const insecure = await apiRequest(platform, 'POST', '/v1/webhooks', {
      body: { url: 'http://hooks.example.com/fleet' },
    });
    assert.equal(insecure.status, 400);
    assert.equal(insecure.body['error'], 'bad-request');
    assert.match(String(insecure.body['message']), /must be https.*loopback/);
    const notUrl = await apiRequest(platform, 'POST', '/v1/webhooks', { body: { url: 'hooks' } });
    assert.equal(notUrl.status, 400);
    assert.match(String(notUrl.body['message']), /not an absolute URL/);
    const badKind = await apiRequest(platform, 'POST', '/v1/webhooks', {
      body: { url: 'https://hooks.example.com/', events: ['Not A Kind'] },
    });
    assert.equal(badKind.status, 400);
    const badState = await apiRequest(platform, 'GET', '/v1/webhooks/wh_x/deliveries?state=lost');
    assert.equal(badState.status, 400);
    assert.deepEqual((await apiRequest(platform, 'GET', '/v1/webhooks')).body, { webhooks: [] });

    const staff = await apiToken(platform, 'staff', 'berlin-1');
    for (const [method, path, body] of [
      ['GET', '/v1/webhooks', undefined],
      ['POST', '/v1/webhooks', { url: 'https://hooks.example.com/' }],
      ['DELETE', '/v1/webhooks/wh_x', undefined],
      ['GET', '/v1/webhooks/wh_x/deliveries', undefined],
      ['POST', '/v1/webhooks/wh_x/ping', undefined],
    ] as const) {
      const refused = await apiRequest(platform, method, path, { token: staff, body });
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body['error'], 'forbidden');
    }
    assert.deepEqual((await apiRequest(platform, 'GET', '/v1/webhooks')).body, { webhooks: [] });
  });
});
