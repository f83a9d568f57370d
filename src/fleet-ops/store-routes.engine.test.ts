import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest } from '../../test-support/api-client.js';
import { message } from '../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../../test-support/platform.js';
import { issueToken, loadTokenKeys } from '../api/tokens.js';

// The stores and the fleet in numbers, as the console's pages read them, on a real platform with
// carts of two regions connected over mutual TLS and reporting their health.
describe('HTTP API: stores and fleet summary', () => {
  it('lists stores per role and counts the fleet with filters', async (t) => {
    const data = await fleetDataDir(t);
    const add = ['store', 'add', '--data', data];
    await runCli(
      ...add,
      '--id',
      'austin-1',
      '--name',
      'Austin 1',
      '--region',
      'us',
      '--timezone',
      'America/Chicago',
    );
    const carts = [
      { id: 'CART-0901', store: 'berlin-1', battery: 80, firmware: '2.4.1' },
      { id: 'CART-0902', store: 'berlin-1', battery: 15, firmware: '2.5.0' },
      { id: 'CART-0903', store: 'austin-1', battery: 5, firmware: '2.4.1' },
    ];
    const dirs = await Promise.all(carts.map((c) => provisionDevice(data, c.id, 'cart', c.store)));
    const platform = await startTestPlatform(t, data);
    for (const [i, c] of carts.entries()) {
      const link = await connectDevice(t, platform.mqttUrl, dirs[i]!);
      await link.send(
        message('health', c.id, 1, {
          session_id: undefined,
          state: 'idle',
          battery_pct: c.battery,
          firmware_version: c.firmware,
        }),
      );
    }
    await eventually(async () => {
      const all = await Promise.all(carts.map((c) => platform.entities.getDevice(c.id)));
      return all.every((d) => d?.lastCounter === 1) ? true : undefined;
    }, 'the health reports projected');
    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const ops = await issueToken(keys, { role: 'ops' }, new Date());
    const staff = await issueToken(keys, { role: 'staff', store: 'berlin-1' }, new Date());
    const customer = await issueToken(keys, { role: 'customer', subject: 'c1' }, new Date());
    const get = (path: string, token: string) => apiRequest(platform, 'GET', path, { token });

    const stores = await get('/v1/stores', ops);
    assert.equal(stores.status, 200, JSON.stringify(stores.body));
    assert.deepEqual(stores.body['stores'], [
      {
        storeId: 'austin-1',
        name: 'Austin 1',
        region: 'us',
        timezone: 'America/Chicago',
        carts: 1,
      },
      { storeId: 'berlin-1', name: 'Berlin 1', region: 'eu', timezone: null, carts: 2 },
    ]);
    const own = await get('/v1/stores', staff);
    assert.deepEqual(
      (own.body['stores'] as Record<string, unknown>[]).map((s) => [s['storeId'], s['carts']]),
      [['berlin-1', 2]],
    );
    assert.equal((await get('/v1/stores', customer)).status, 403);

    const summary = await get('/v1/fleet/summary', ops);
    assert.equal(summary.status, 200, JSON.stringify(summary.body));
    assert.equal(summary.body['carts'], 3);
    assert.equal(summary.body['connected'], 3);
    assert.deepEqual(summary.body['byState'], { idle: 3 });
    assert.deepEqual(summary.body['byFirmware'], [
      { version: '2.4.1', carts: 2 },
      { version: '2.5.0', carts: 1 },
    ]);
    assert.deepEqual(summary.body['byBatteryHealth'], {
      good: 1,
      low: 1,
      critical: 1,
      charging: 0,
      unknown: 0,
    });
    assert.deepEqual(summary.body['byRegion'], [
      { region: 'eu', carts: 2, connected: 2 },
      { region: 'us', carts: 1, connected: 1 },
    ]);
    const berlin = (summary.body['byStore'] as Record<string, unknown>[]).find(
      (s) => s['storeId'] === 'berlin-1',
    );
    assert.deepEqual(berlin, {
      storeId: 'berlin-1',
      region: 'eu',
      carts: 2,
      connected: 2,
      byState: { idle: 2 },
    });

    const count = async (query: string) =>
      (await get(`/v1/fleet/summary?${query}`, ops)).body['carts'];
    assert.equal(await count('region=us'), 1);
    assert.equal(await count('store=berlin-1&firmware=2.5.0'), 1);
    assert.equal(await count('battery_health=critical'), 1);
    assert.equal(await count('battery_health=charging'), 0);
    assert.equal((await get('/v1/fleet/summary?battery_health=dead', ops)).status, 400);
    assert.equal((await get('/v1/fleet/summary', staff)).status, 403);
  });
});
