import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, it } from 'node:test';
import { makeCsr, testFleet } from '../../../../test-support/identity.js';
import { provisionDevice } from '../provisioning/provision.js';
import { revokeDevice } from './revoke.js';
import { RevocationWatcher, type RevocationSnapshot } from './revocation-watcher.js';

describe('RevocationWatcher', () => {
  it('sees a revocation made by another command within its polling interval', async (t) => {
    const fleet = await testFleet(t);
    const { info } = await provisionDevice(fleet.ctx, {
      serial: 'SN-1',
      store: 'store-1',
      deviceClass: 'cart',
      csr: (await makeCsr('SN-1')).pem,
    });
    const watcher = new RevocationWatcher(fleet.ctx.layout, {
      intervalMs: 50,
      keepProcessAlive: true,
    });
    await watcher.start();
    t.after(() => watcher.stop());
    assert.equal(watcher.isRevoked(info.certSerialHex), false);
    const crlBefore = watcher.crlPem;
    assert.match(crlBefore ?? '', /BEGIN X509 CRL/);

    const events = new EventEmitter();
    watcher.onChange((snapshot) => events.emit('change', snapshot));
    const changed = once(events, 'change');
    const revokedAt = Date.now();
    await revokeDevice(fleet.ctx, { serial: 'SN-1' });
    const [snapshot] = (await changed) as [RevocationSnapshot];
    assert.ok(Date.now() - revokedAt < 2_000, 'noticed within a few intervals');

    assert.ok(snapshot.certSerials.has(info.certSerialHex));
    assert.ok(snapshot.deviceIds.has('SN-1'));
    assert.equal(watcher.isRevoked(info.certSerialHex), true);
    assert.equal(watcher.isRevoked(info.certSerialHex.toUpperCase()), true, "Node's format");
    assert.equal(watcher.isDeviceRevoked('SN-1'), true);
    assert.equal(watcher.isDeviceRevoked('SN-2'), false);
    // The CRL may be rewritten a moment after the log entry: wait for the watcher to pick it up.
    for (let i = 0; i < 100 && watcher.crlPem === crlBefore; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.notEqual(watcher.crlPem, crlBefore, 'the new CRL bundle is exposed for TLS');
  });

  it('starts with revocations made before it started and stops polling when stopped', async (t) => {
    const fleet = await testFleet(t);
    const { info } = await provisionDevice(fleet.ctx, {
      serial: 'SN-1',
      store: 'store-1',
      deviceClass: 'cart',
      csr: (await makeCsr('SN-1')).pem,
    });
    await revokeDevice(fleet.ctx, { serial: 'SN-1' });
    const watcher = new RevocationWatcher(fleet.ctx.layout, {
      intervalMs: 20,
      keepProcessAlive: true,
    });
    await watcher.start();
    assert.equal(watcher.isRevoked(info.certSerialHex), true);
    watcher.stop();
    let calls = 0;
    watcher.onChange(() => calls++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(calls, 0);
  });
});
