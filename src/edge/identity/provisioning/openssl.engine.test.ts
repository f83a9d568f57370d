import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { makeCsr, testFleet } from '../../../../test-support/identity.js';
import { openssl, requireOpenssl } from '../../../../test-support/openssl.js';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { isFailure } from '../../../shared/failure.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { rotateCa } from '../ca/lifecycle.js';
import { issueServerCertificate } from '../ca/server-certificate.js';
import { revokeDevice } from '../revocation/revoke.js';
import { provisionDevice } from './provision.js';

/** Writes PEMs to files so openssl can read them; returns their paths. */
async function files(t: TestContext, contents: Record<string, string>) {
  const dir = await tempDir(t);
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(contents)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name], text);
  }
  return paths;
}

/** An openssl-made CSR: the factory-line path, where the key never leaves its holder. */
async function opensslCsr(t: TestContext, serial: string, keyArgs: string[]): Promise<string> {
  const dir = await tempDir(t);
  const key = join(dir, 'key.pem');
  const csr = join(dir, 'csr.pem');
  const gen = openssl(['genpkey', ...keyArgs, '-out', key]);
  assert.equal(gen.status, 0, gen.stderr);
  const req = openssl(['req', '-new', '-key', key, '-subj', `/CN=${serial}`, '-out', csr]);
  assert.equal(req.status, 0, req.stderr);
  return readFile(csr, 'utf8');
}

const P256 = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const P384 = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'];
const RSA = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];

// Real time throughout: openssl checks validity against the system clock.
describe('device certificates, checked by openssl', () => {
  it('openssl verify accepts a provisioned device certificate against the fleet chain', async (t) => {
    if (!requireOpenssl(t)) return;
    const fleet = await testFleet(t, { start: new Date() });
    const result = await provisionDevice(fleet.ctx, {
      serial: 'SN-0042',
      store: 'store-1',
      deviceClass: 'coldchain',
      csr: (await makeCsr('SN-0042')).pem,
    });
    const p = await files(t, {
      'trust.pem': result.trustPem,
      'chain.pem': result.chainPem,
      'device.pem': result.certificatePem,
    });
    const verify = openssl([
      'verify',
      '-CAfile',
      p['trust.pem']!,
      '-untrusted',
      p['chain.pem']!,
      '-purpose',
      'sslclient',
      p['device.pem']!,
    ]);
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /device\.pem: OK/);

    const text = openssl(['x509', '-in', p['device.pem']!, '-noout', '-text']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      /Subject: O = fleetplane, OU = store-1, serialNumber = SN-0042, CN = SN-0042/,
    );
    assert.match(text.stdout, /URI:urn:fleetplane:device:SN-0042/);
    assert.match(text.stdout, /URI:urn:fleetplane:store:store-1/);
    assert.match(text.stdout, /URI:urn:fleetplane:class:coldchain/);
    assert.match(text.stdout, /ASN1 OID: prime256v1/);
    assert.match(text.stdout, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text.stdout, /TLS Web Client Authentication/);
  });

  it("openssl verify refuses a device certificate against another fleet's trust bundle", async (t) => {
    if (!requireOpenssl(t)) return;
    const ours = await testFleet(t, { start: new Date() });
    const theirs = await testFleet(t, { start: new Date() });
    const result = await provisionDevice(theirs.ctx, {
      serial: 'SN-1',
      store: 'store-1',
      deviceClass: 'cart',
      csr: (await makeCsr('SN-1')).pem,
    });
    const ca = await loadFleetCa(ours.ctx.layout);
    const p = await files(t, {
      'trust.pem': ca.trustBundlePem(new Date()),
      'chain.pem': result.chainPem,
      'device.pem': result.certificatePem,
    });
    const verify = openssl([
      'verify',
      '-CAfile',
      p['trust.pem']!,
      '-untrusted',
      p['chain.pem']!,
      p['device.pem']!,
    ]);
    assert.notEqual(verify.status, 0);
  });

  it('openssl refuses a revoked device with the CRL bundle and accepts the others', async (t) => {
    if (!requireOpenssl(t)) return;
    const fleet = await testFleet(t, { start: new Date() });
    await rotateCa(fleet.ctx.layout, { now: fleet.clock.now() });
    const provision = async (serial: string) =>
      provisionDevice(fleet.ctx, {
        serial,
        store: 'store-1',
        deviceClass: 'tool',
        csr: (await makeCsr(serial)).pem,
      });
    const kept = await provision('SN-KEEP');
    const lost = await provision('SN-LOST');
    await revokeDevice(fleet.ctx, { serial: 'SN-LOST', reason: 'keyCompromise' });
    const p = await files(t, {
      'trust.pem': kept.trustPem,
      'chain.pem': kept.chainPem,
      'kept.pem': kept.certificatePem,
      'lost.pem': lost.certificatePem,
    });
    const crl = fleet.ctx.layout.crl;
    const check = (leaf: string) =>
      openssl([
        'verify',
        '-crl_check_all',
        '-CRLfile',
        crl,
        '-CAfile',
        p['trust.pem']!,
        '-untrusted',
        p['chain.pem']!,
        leaf,
      ]);
    const ok = check(p['kept.pem']!);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const refused = check(p['lost.pem']!);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stdout + refused.stderr, /certificate revoked/);
  });

  it('openssl accepts the broker server certificate for TLS server use', async (t) => {
    if (!requireOpenssl(t)) return;
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const server = await issueServerCertificate(ca, ['broker.local', '127.0.0.1'], {
      now: fleet.clock.now(),
    });
    const p = await files(t, {
      'trust.pem': ca.trustBundlePem(new Date()),
      'chain.pem': server.chainPem,
      'server.pem': server.certPem,
    });
    const verify = openssl([
      'verify',
      '-purpose',
      'sslserver',
      '-verify_hostname',
      'broker.local',
      '-CAfile',
      p['trust.pem']!,
      '-untrusted',
      p['chain.pem']!,
      p['server.pem']!,
    ]);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });
});

describe('CSRs made with openssl', () => {
  it('accepts a P-256 CSR and issues for its key', async (t) => {
    if (!requireOpenssl(t)) return;
    const fleet = await testFleet(t);
    const csr = await opensslCsr(t, 'SN-7', P256);
    const result = await provisionDevice(fleet.ctx, {
      serial: 'SN-7',
      store: 'store-1',
      deviceClass: 'cart',
      csr,
    });
    const p = await files(t, { 'csr.pem': csr });
    const pub = openssl(['req', '-in', p['csr.pem']!, '-noout', '-pubkey']);
    assert.equal(pub.status, 0, pub.stderr);
    const der = Buffer.from(pub.stdout.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    assert.deepEqual(result.info.publicKeySpki, der);
  });

  for (const [name, args] of [
    ['P-384', P384],
    ['RSA', RSA],
  ] as const) {
    it(`refuses a ${name} CSR with wrong-curve`, async (t) => {
      if (!requireOpenssl(t)) return;
      const fleet = await testFleet(t);
      const csr = await opensslCsr(t, 'SN-7', [...args]);
      await assert.rejects(
        provisionDevice(fleet.ctx, { serial: 'SN-7', store: 'store-1', deviceClass: 'cart', csr }),
        (e) => isFailure(e) && e.code === 'wrong-curve',
      );
    });
  }
});
