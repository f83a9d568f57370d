import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  provisionDevice,
  runCli,
  suitePlatform,
} from '../../../test-support/platform.js';
import { issueToken, loadTokenKeys } from './tokens.js';
import type { ApiRole } from './roles.js';
import { platformFetch } from '../../../test-support/api-client.js';

// The HTTP API of a running platform, over real HTTP with tokens the CLI's way.
describe('HTTP API', () => {
  // Both tests share one platform; the second reads only what any running platform publishes.
  let dir = '';
  let cold = '';
  const shared = suitePlatform(async (data) => {
    await runCli(
      'store',
      'add',
      '--data',
      data,
      '--id',
      'paris-1',
      '--name',
      'Paris 1',
      '--region',
      'eu',
    );
    dir = await provisionDevice(data, 'CART-0301');
    cold = await provisionDevice(data, 'COLD-0301', 'coldchain', 'paris-1');
  });

  it('serves devices, events and store devices to the right roles, with 401/403/404 otherwise', async (t) => {
    const { platform } = shared();
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    await connectDevice(t, platform.mqttUrl, cold);
    await cart.send(message('health', 'CART-0301', 1, { battery_pct: 55 }));
    await cart.send(message('scan', 'CART-0301', 2));
    await cart.send(message('health', 'CART-0301', 3, { battery_pct: 54 }));
    await eventually(
      async () =>
        (await platform.entities.getDevice('CART-0301'))?.lastCounter === 3 ? true : undefined,
      'projection',
    );

    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const token = (role: ApiRole, store?: string) =>
      issueToken(keys, { role, ...(store ? { store } : {}) }, new Date());
    const get = async (path: string, bearer?: string) => {
      const response = await platformFetch(platform)(`${platform.apiUrl}${path}`, {
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const ops = await token('ops');
    const device = await get('/v1/devices/CART-0301', ops);
    assert.equal(device.status, 200);
    assert.equal(device.body['batteryPct'], 54);
    assert.equal(device.body['storeId'], 'berlin-1');

    const events = await get('/v1/devices/CART-0301/events?limit=2', ops);
    assert.equal(events.status, 200);
    const list = events.body['events'] as Record<string, unknown>[];
    assert.deepEqual(
      list.map((e) => e['counter']),
      [3, 2],
      'newest first',
    );
    assert.equal(list[0]?.['schema_version'], 1);
    assert.equal(list[0]?.['device_id'], 'CART-0301');
    assert.equal(typeof list[0]?.['received_at'], 'string');
    const scans = await get('/v1/devices/CART-0301/events?type=scan', ops);
    assert.deepEqual(
      (scans.body['events'] as Record<string, unknown>[]).map((e) => e['type']),
      ['scan'],
    );

    const storeDevices = await get('/v1/stores/berlin-1/devices', await token('staff', 'berlin-1'));
    assert.equal(storeDevices.status, 200);
    assert.deepEqual(
      (storeDevices.body['devices'] as { deviceId: string }[]).map((d) => d.deviceId),
      ['CART-0301'],
    );

    const ids = async (path: string, bearer: string) =>
      ((await get(path, bearer)).body['devices'] as { deviceId: string }[]).map((d) => d.deviceId);
    await eventually(
      async () => ((await ids('/v1/devices', ops)).length === 2 ? true : undefined),
      'both devices listed',
    );
    assert.deepEqual(await ids('/v1/devices', ops), ['CART-0301', 'COLD-0301']);
    assert.deepEqual(await ids('/v1/devices?class=coldchain', ops), ['COLD-0301']);
    assert.deepEqual(await ids('/v1/devices?store=berlin-1', ops), ['CART-0301']);
    assert.deepEqual(await ids('/v1/devices', await token('staff', 'paris-1')), ['COLD-0301']);
    assert.equal(
      (await get('/v1/devices?store=berlin-1', await token('staff', 'paris-1'))).status,
      403,
    );
    assert.equal((await get('/v1/devices?store=nowhere', ops)).status, 404);
    assert.equal((await get('/v1/devices?class=toaster', ops)).status, 400);

    assert.equal((await get('/v1/devices/CART-0301')).status, 401);
    assert.equal((await get('/v1/devices/CART-0301', 'not.a.token')).status, 401);
    const otherStore = await get('/v1/devices/CART-0301', await token('staff', 'paris-1'));
    assert.equal(otherStore.status, 403);
    assert.match(String(otherStore.body['message']), /paris-1/);
    assert.equal((await get('/v1/devices/CART-0301', await token('customer'))).status, 403);
    assert.equal(
      (await get('/v1/stores/berlin-1/devices', await token('staff', 'paris-1'))).status,
      403,
    );
    assert.equal((await get('/v1/devices/CART-9999', ops)).status, 404);
    assert.equal((await get('/v1/stores/nowhere/devices', ops)).status, 404);
    const bad = await get('/v1/devices/CART-0301/events?limit=0', ops);
    assert.equal(bad.status, 400);
    assert.equal(bad.body['error'], 'bad-request');
    assert.equal((await get('/v1/devices/CART-0301/events?type=nonsense', ops)).status, 400);
  });

  it('publishes health, Prometheus metrics and the OpenAPI document', async () => {
    const { platform } = shared();
    const health = await platformFetch(platform)(`${platform.apiUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    const metrics = await (await platformFetch(platform)(`${platform.apiUrl}/metrics`)).text();
    assert.match(metrics, /# TYPE fleetplane_broker_connected_devices gauge/);
    assert.match(metrics, /fleetplane_ingest_arrival_to_stored_seconds_bucket/);
    const openapi = (await (
      await platformFetch(platform)(`${platform.apiUrl}/openapi.json`)
    ).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.match(openapi.openapi, /^3\./);
    for (const path of ['/v1/devices/{id}', '/v1/devices/{id}/events', '/v1/stores/{id}/devices']) {
      assert.ok(openapi.paths[path], `${path} documented`);
    }
  });
});
