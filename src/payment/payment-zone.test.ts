import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { snapshot } from '../../test-support/cli.js';
import { START, testFleet } from '../../test-support/identity.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { isFailure } from '../shared/failure.js';
import { loadFleetCa } from '../edge/identity/index.js';
import { bridgeLayout } from '../domain/payment-bridge/bridge-layout.js';
import { splitCredential } from './credential-pem.js';
import { paymentLayout } from './payment-layout.js';
import { initPaymentZone, loadPaymentZone } from './payment-zone.js';

const DAY_MS = 86_400_000;
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('payment zone', () => {
  it('creates its own CA, a server certificate for localhost and 127.0.0.1, and one pinned bridge certificate', async (t) => {
    const fleet = await testFleet(t);
    const result = await initPaymentZone(fleet.dir, START);
    assert.equal(result.created, true);
    assert.deepEqual(result.issued, ['server', 'bridge']);

    const zone = paymentLayout(fleet.dir);
    const bridge = bridgeLayout(fleet.dir);
    assert.equal(await mode(zone.dir), 0o700);
    assert.equal(await mode(bridge.dir), 0o700);
    for (const secret of [zone.caKey, zone.server, zone.processorSecret, bridge.credential]) {
      assert.equal(await mode(secret), 0o600, secret);
    }

    const ca = new X509Certificate(await readFile(zone.caCert));
    assert.ok(ca.ca);
    assert.equal(await readFile(bridge.paymentCa, 'utf8'), await readFile(zone.caCert, 'utf8'));
    const fleetCa = await loadFleetCa(fleet.ctx.layout);
    assert.ok(!ca.verify(fleetCa.newest.root.node.publicKey), 'not signed by the fleet CA');
    assert.notEqual(ca.fingerprint256, fleetCa.newest.root.fingerprint256);

    const server = splitCredential(await readFile(zone.server, 'utf8'));
    assert.ok(server, 'server.pem holds a matching key and certificate');
    assert.ok(server.cert.verify(ca.publicKey));
    assert.equal(server.cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');

    const credential = splitCredential(await readFile(bridge.credential, 'utf8'));
    assert.ok(credential, 'bridge.pem holds a matching key and certificate');
    assert.ok(credential.cert.verify(ca.publicKey));
    assert.ok(!credential.cert.verify(fleetCa.newest.issuing.node.publicKey));
    assert.match(credential.cert.subject, /^CN=fleetplane:payment-bridge$/m);
    assert.deepEqual(credential.cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'client authentication only');
    assert.equal(result.zone.bridgeFingerprint256, credential.cert.fingerprint256, 'pinned');
    assert.equal(
      new X509Certificate(await readFile(zone.pinnedBridge)).fingerprint256,
      credential.cert.fingerprint256,
    );
    assert.equal(result.zone.processorSecret.length, 32);
  });

  it('keeps every file as it was on a second init', async (t) => {
    const dir = await tempDir(t);
    await initPaymentZone(dir, START);
    const before = await snapshot(dir);
    const again = await initPaymentZone(dir, new Date(START.getTime() + 10 * DAY_MS));
    assert.equal(again.created, false);
    assert.deepEqual(again.issued, []);
    assert.deepEqual(await snapshot(dir), before);
  });

  it('issues the bridge credential again when it is missing, and moves the pin to it', async (t) => {
    const dir = await tempDir(t);
    const first = await initPaymentZone(dir, START);
    const caBefore = await readFile(paymentLayout(dir).caCert, 'utf8');
    await rm(bridgeLayout(dir).credential);
    const repaired = await initPaymentZone(dir, START);
    assert.deepEqual(repaired.issued, ['bridge']);
    assert.notEqual(repaired.zone.bridgeFingerprint256, first.zone.bridgeFingerprint256);
    const credential = splitCredential(await readFile(bridgeLayout(dir).credential, 'utf8'));
    assert.equal(credential?.cert.fingerprint256, repaired.zone.bridgeFingerprint256);
    assert.equal(await readFile(paymentLayout(dir).caCert, 'utf8'), caBefore, 'same CA');
  });

  it('renews the server and bridge certificates within 30 days of their end, keeping the CA', async (t) => {
    const dir = await tempDir(t);
    const first = await initPaymentZone(dir, START);
    const later = await initPaymentZone(dir, new Date(START.getTime() + 380 * DAY_MS));
    assert.equal(later.created, false);
    assert.deepEqual(later.issued, ['server', 'bridge']);
    assert.equal(later.zone.caPem, first.zone.caPem);
    assert.notEqual(later.zone.server.cert.fingerprint256, first.zone.server.cert.fingerprint256);
  });

  it('refuses to load a zone that was never created, or whose server credential was damaged', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(
      loadPaymentZone(dir),
      (e) =>
        isFailure(e) &&
        e.code === 'zone-not-initialised' &&
        e.message.includes('fleetplane payment init'),
    );
    await initPaymentZone(dir, START);
    const { server } = paymentLayout(dir);
    const text = await readFile(server, 'utf8');
    await writeFile(server, text.slice(0, text.indexOf('-----BEGIN CERTIFICATE')));
    await assert.rejects(loadPaymentZone(dir), (e) => isFailure(e) && e.code === 'zone-corrupt');
  });
});
