import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import tls from 'node:tls';
import { makeCsr, testFleet, type TestFleet } from '../../../../test-support/identity.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { privateKeyPem } from '../ca/keys.js';
import { issueServerCertificate } from '../ca/server-certificate.js';
import { provisionDevice } from '../provisioning/provision.js';
import { revokeDevice } from './revoke.js';
import { RevocationWatcher } from './revocation-watcher.js';

async function device(fleet: TestFleet, serial: string) {
  const { pem, keys } = await makeCsr(serial);
  const result = await provisionDevice(fleet.ctx, {
    serial,
    store: 'store-1',
    deviceClass: 'cart',
    csr: pem,
  });
  return {
    key: await privateKeyPem(keys.privateKey),
    cert: result.certificatePem + result.chainPem,
  };
}

/** 'ok' if the server's greeting arrives, 'refused' if the connection fails or closes without it. */
function connect(port: number, ca: string, client: { key: string; cert: string }) {
  return new Promise<'ok' | 'refused'>((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, ...client });
    socket.setTimeout(5_000, () => socket.destroy());
    socket.once('data', () => {
      socket.end();
      resolve('ok');
    });
    socket.once('error', () => resolve('refused'));
    socket.once('close', () => resolve('refused'));
  });
}

describe('CRL bundle in a TLS server', () => {
  it('lets a TLS server refuse a device revoked while it runs, without a restart', async (t) => {
    // Real time: OpenSSL checks the CRLs' dates against the system clock.
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const server = await issueServerCertificate(ca, ['127.0.0.1'], { now: fleet.clock.now() });
    const trust = ca.trustBundlePem(fleet.clock.now());
    const keep = await device(fleet, 'SN-KEEP');
    const lost = await device(fleet, 'SN-LOST');

    const watcher = new RevocationWatcher(fleet.ctx.layout, { intervalMs: 50 });
    await watcher.start();
    t.after(() => watcher.stop());
    const context = (crl: readonly string[]) => ({
      key: server.keyPem,
      cert: server.certPem + server.chainPem,
      ca: trust,
      crl: [...crl],
    });
    const tlsServer = tls.createServer(
      { ...context(watcher.crls), requestCert: true, rejectUnauthorized: true },
      (socket) => socket.end('hello\n'),
    );
    watcher.onChange((snapshot) => tlsServer.setSecureContext(context(snapshot.crls)));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    t.after(() => tlsServer.close());
    const { port } = tlsServer.address() as AddressInfo;

    assert.equal(await connect(port, trust, keep), 'ok');
    assert.equal(await connect(port, trust, lost), 'ok');

    await revokeDevice(fleet.ctx, { serial: 'SN-LOST', reason: 'keyCompromise' });
    let outcome: string = 'ok';
    for (let i = 0; i < 50 && outcome === 'ok'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      outcome = await connect(port, trust, lost);
    }
    assert.equal(outcome, 'refused');
    assert.equal(await connect(port, trust, keep), 'ok');
  });
});
