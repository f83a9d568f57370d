import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest } from '../../../test-support/api-client.js';
import { eventually, provisionDevice, suitePlatform } from '../../../test-support/platform.js';
import { platformCart } from '../../../test-support/platform-cart.js';
import { behindTheCloud, CALM } from '../../../test-support/trip-engine.js';
import type { DeviceMessage } from '../../contract/index.js';

// The device shadow against the embedded platform with a real cart: the desired document is
// retained, so a cart that reconnects (here: reboots, RAM gone) gets it again and reports it.
describe('device shadow (embedded platform)', () => {
  // Both tests share one platform; each uses a device of its own.
  let dir = '';
  const shared = suitePlatform(async (data) => {
    dir = await provisionDevice(data, 'CART-0811');
  });

  it('keeps desired across a reconnect: the cart gets the retained document, acknowledges the version, the delta empties', async (t) => {
    const { platform } = shared();
    let reports = 0;
    const cart = await platformCart(t, platform, dir, behindTheCloud(1), {
      timing: CALM,
      observer: { created: (m: DeviceMessage) => void (m.type === 'shadow-report' && reports++) },
    });
    await cart.powerOn();
    await eventually(
      async () => (await platform.entities.getDevice('CART-0811')) ?? undefined,
      'the cart registered',
    );

    const path = '/v1/devices/CART-0811/shadow';
    const empty = await apiRequest(platform, 'GET', path);
    assert.equal(empty.status, 200, JSON.stringify(empty.body));
    assert.deepEqual(empty.body['desired'], {});
    assert.equal(empty.body['desiredVersion'], 0);

    const set = await apiRequest(platform, 'PATCH', path, {
      body: { desired: { maintenance_mode: true, health_interval_s: 120 } },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body['desiredVersion'], 1);
    assert.equal(set.body['published'], true);
    assert.equal(set.body['inSync'], false);
    await eventually(() => (cart.state === 'maintenance' ? true : undefined), 'maintenance mode');
    const synced = await eventually(async () => {
      const got = await apiRequest(platform, 'GET', path);
      return got.body['inSync'] === true ? got.body : undefined;
    }, 'the report acknowledging version 1');
    assert.equal(synced['reportedDesiredVersion'], 1);
    assert.deepEqual(synced['delta'], {});

    // A null removes a key; the version goes up by one.
    const removed = await apiRequest(platform, 'PATCH', path, {
      body: { desired: { health_interval_s: null } },
    });
    assert.deepEqual(removed.body['desired'], { maintenance_mode: true });
    assert.equal(removed.body['desiredVersion'], 2);
    await eventually(async () => {
      const got = await apiRequest(platform, 'GET', path);
      return got.body['reportedDesiredVersion'] === 2 && got.body['inSync'] === true
        ? true
        : undefined;
    }, 'version 2 acknowledged');

    // RAM gone: only the retained document can put the rebooted cart back in maintenance.
    const before = reports;
    await cart.reboot();
    await eventually(() => (reports > before ? true : undefined), 'a report after the reboot');
    assert.equal(cart.state, 'maintenance');
    const after = await apiRequest(platform, 'GET', path);
    assert.equal(after.body['inSync'], true);
    assert.equal(after.body['reportedDesiredVersion'], 2);
  });

  it('refuses a desired document that is not a shadow state, with the reason; 404 for an unknown device', async () => {
    const { platform } = shared();
    await platform.entities.upsertDevice({
      deviceId: 'CART-0812',
      storeId: 'berlin-1',
      deviceClass: 'cart',
      certSerialHex: '01',
    });
    const patch = (desired: unknown, device = 'CART-0812') =>
      apiRequest(platform, 'PATCH', `/v1/devices/${device}/shadow`, { body: { desired } });
    for (const [desired, pattern] of [
      [{ turbo: true }, /turbo/],
      [{ health_interval_s: 1 }, /health_interval_s/],
      [{ ca_generations: [2] }, /reported only/],
      [{ firmware_version: '9.9.9' }, /reported only/],
    ] as const) {
      const refused = await patch(desired);
      assert.equal(refused.status, 400, JSON.stringify(desired));
      assert.equal(refused.body['error'], 'bad-request');
      assert.match(String(refused.body['message']), pattern);
    }
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/devices/CART-0812/shadow')).body['desiredVersion'],
      0,
    );
    assert.equal((await patch({ log_level: 'debug' }, 'CART-0404')).status, 404);
    assert.equal((await apiRequest(platform, 'GET', '/v1/devices/CART-0404/shadow')).status, 404);
  });
});
