import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateKeys, testFleet } from '../../../../test-support/identity.js';
import type { DeviceId, StoreId } from '../../../contract/ids.js';
import { isFailure } from '../../../shared/failure.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { issueServerCertificate } from '../ca/server-certificate.js';
import { subtle, x509 } from '../x509.js';
import {
  issueDeviceCertificate,
  readDeviceCertificate,
  readNatively,
  readParsed,
} from './device-certificate.js';

const eku = (cert: x509.X509Certificate) =>
  [...(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])].map(String);

async function issue(t: Parameters<typeof testFleet>[0], notAfter?: Date) {
  const fleet = await testFleet(t);
  const ca = await loadFleetCa(fleet.ctx.layout);
  const keys = await generateKeys();
  const spki = new Uint8Array(await subtle.exportKey('spki', keys.publicKey));
  const issued = await issueDeviceCertificate(ca, {
    deviceId: 'SN-1' as DeviceId,
    storeId: 'store-1' as StoreId,
    deviceClass: 'coldchain',
    publicKeySpki: spki,
    now: fleet.clock.now(),
    ...(notAfter ? { notAfter } : {}),
  });
  return { ...fleet, ca, issued, spki };
}

describe('issueDeviceCertificate', () => {
  it('issues the fleet profile: CN and serialNumber = serial, SAN URIs, clientAuth, P-256', async (t) => {
    const { issued, ca, clock, spki } = await issue(t);
    const cert = new x509.X509Certificate(issued.pem);
    assert.equal(cert.subject, 'O=fleetplane, OU=store-1, 2.5.4.5=SN-1, CN=SN-1');
    assert.equal(cert.issuer, ca.newest.issuing.cert.subject);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!;
    assert.deepEqual(
      san.names.items.map((n) => [n.type, n.value]),
      [
        ['url', 'urn:fleetplane:device:SN-1'],
        ['url', 'urn:fleetplane:store:store-1'],
        ['url', 'urn:fleetplane:class:coldchain'],
      ],
    );
    assert.deepEqual(eku(cert), [x509.ExtendedKeyUsage.clientAuth]);
    assert.equal(
      cert.getExtension(x509.KeyUsagesExtension)?.usages,
      x509.KeyUsageFlags.digitalSignature,
    );
    assert.equal(cert.getExtension(x509.BasicConstraintsExtension)?.ca, false);
    assert.ok(cert.getExtension(x509.SubjectKeyIdentifierExtension));
    assert.equal(
      cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
      ca.newest.issuing.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );
    assert.deepEqual(cert.signatureAlgorithm, { name: 'ECDSA', hash: { name: 'SHA-256' } });
    assert.deepEqual(Buffer.from(cert.publicKey.rawData), Buffer.from(spki));
    assert.match(
      cert.serialNumber,
      /^(0[1-9a-f]|[1-7][0-9a-f])[0-9a-f]{30}$/,
      'a positive 16-byte serial',
    );
    assert.equal(cert.notBefore.getTime(), clock.now().getTime() - 5 * 60 * 1000);
    // 10 years, but never past the issuing CA (5 years): the cap binds.
    assert.equal(cert.notAfter.getTime(), ca.newest.issuing.cert.notAfter.getTime());
    assert.ok(new X509Certificate(issued.pem).verify(ca.newest.issuing.node.publicKey));
  });

  it('gives every certificate a different serial', async (t) => {
    const { ca, spki, clock } = await issue(t);
    const serials = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { info } = await issueDeviceCertificate(ca, {
        deviceId: 'SN-1' as DeviceId,
        storeId: 'store-1' as StoreId,
        deviceClass: 'cart',
        publicKeySpki: spki,
        now: clock.now(),
      });
      serials.add(info.certSerialHex);
    }
    assert.equal(serials.size, 5);
  });

  it('honours a shorter validity', async (t) => {
    const notAfter = new Date('2026-06-02T12:00:00Z');
    const { issued } = await issue(t, notAfter);
    assert.equal(issued.info.notAfter.toISOString(), notAfter.toISOString());
  });
});

describe('readDeviceCertificate', () => {
  it('reads device, store, class, serial, fingerprint and key from a device certificate', async (t) => {
    const { issued, spki } = await issue(t);
    const info = readDeviceCertificate(issued.pem);
    const node = new X509Certificate(issued.pem);
    assert.equal(info.deviceId, 'SN-1');
    assert.equal(info.storeId, 'store-1');
    assert.equal(info.deviceClass, 'coldchain');
    assert.equal(info.certSerialHex, node.serialNumber.toLowerCase());
    assert.equal(info.fingerprint256, node.fingerprint256);
    assert.deepEqual(info.publicKeySpki, Buffer.from(spki));
    assert.deepEqual(readDeviceCertificate(node), info);
  });

  it("reads the fleet's certificates natively exactly as the full ASN.1 parse reads them", async (t) => {
    const { issued } = await issue(t);
    const node = new X509Certificate(issued.pem);
    const native = readNatively(node);
    assert.ok(native, 'a certificate the fleet CA issued takes the native path');
    assert.deepEqual(native, readParsed(node));
  });

  it('leaves a certificate that is not a device certificate to the full parse', async (t) => {
    const { ca, clock } = await issue(t);
    const server = await issueServerCertificate(ca, ['broker.local'], { now: clock.now() });
    assert.equal(readNatively(new X509Certificate(server.certPem)), undefined);
  });

  it('refuses a server certificate as not-a-device-certificate', async (t) => {
    const { ca, clock } = await issue(t);
    const server = await issueServerCertificate(ca, ['broker.local'], { now: clock.now() });
    assert.throws(
      () => readDeviceCertificate(server.certPem),
      (e) => isFailure(e) && e.code === 'not-a-device-certificate',
    );
  });

  it('refuses bytes that are not a certificate as malformed-certificate', () => {
    assert.throws(
      () => readDeviceCertificate('not a certificate'),
      (e) => isFailure(e) && e.code === 'malformed-certificate',
    );
  });
});

describe('issueServerCertificate', () => {
  it('issues a serverAuth certificate for DNS names and IP addresses', async (t) => {
    const { ca, clock } = await issue(t);
    const server = await issueServerCertificate(ca, ['broker.example', '127.0.0.1'], {
      now: clock.now(),
    });
    const cert = new x509.X509Certificate(server.certPem);
    assert.deepEqual(eku(cert), [x509.ExtendedKeyUsage.serverAuth]);
    const node = new X509Certificate(server.certPem);
    assert.equal(node.checkHost('broker.example'), 'broker.example');
    assert.equal(node.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(node.verify(ca.newest.issuing.node.publicKey));
    assert.match(server.keyPem, /BEGIN PRIVATE KEY/);
  });

  it('refuses a hostname that is not one', async (t) => {
    const { ca, clock } = await issue(t);
    await assert.rejects(
      issueServerCertificate(ca, ['bad host/'], { now: clock.now() }),
      (e) => isFailure(e) && e.code === 'invalid-hostname',
    );
  });
});
