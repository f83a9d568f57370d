import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { testFleet } from '../../../../test-support/identity.js';
import type { DeviceClass, DeviceId, StoreId } from '../../../contract/ids.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { IdentityFailure } from '../errors.js';
import { loadSigningKey } from '../ca/generation.js';
import { randomSerialHex } from '../ca/profile.js';
import { children, readTlv, whole } from './der-reader.js';
import {
  deviceCertificateValidity,
  issueDeviceCertificate,
  readDeviceCertificate,
  readParsed,
} from './device-certificate.js';
import { DeviceCertificateTemplate } from './device-certificate-template.js';
import { issueDeviceCertificateWithLibrary } from './reference-device-certificate.js';

const newSpki = () =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
    format: 'der',
    type: 'spki',
  });

function tbsOf(pem: string): Buffer {
  const der = new X509Certificate(pem).raw;
  return Buffer.from(whole(der, children(der, readTlv(der, 0))[0]!));
}

// Names of every kind the profile meets: PrintableString-only, and ids with '_' that the
// reference writes as UTF8String; every class; a store id with dots.
const CASES: { deviceId: string; storeId: string; deviceClass: DeviceClass }[] = [
  { deviceId: 'SN-0042', storeId: 'store-1', deviceClass: 'cart' },
  { deviceId: 'line_7.unit_0001', storeId: 'eu.north_3', deviceClass: 'coldchain' },
  { deviceId: 'T', storeId: 's', deviceClass: 'tool' },
  { deviceId: 'A'.repeat(64), storeId: 'B'.repeat(64), deviceClass: 'cart' },
];

describe('DeviceCertificateTemplate', () => {
  it('writes the TBSCertificate byte for byte as the X.509 library does for the same inputs', async (t) => {
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const template = new DeviceCertificateTemplate(ca.newest.issuing);
    for (const c of CASES) {
      for (const notAfter of [undefined, new Date(Date.now() + 86_400_000)]) {
        const request = {
          deviceId: c.deviceId as DeviceId,
          storeId: c.storeId as StoreId,
          deviceClass: c.deviceClass,
          publicKeySpki: newSpki(),
          now: fleet.clock.now(),
          ...(notAfter ? { notAfter } : {}),
        };
        const serialHex = randomSerialHex();
        const reference = await issueDeviceCertificateWithLibrary(ca, request, serialHex);
        const tbs = template.tbs({
          ...request,
          serialHex,
          publicKeySpki: Buffer.from(request.publicKeySpki),
          ...deviceCertificateValidity(ca.newest, request),
        });
        assert.deepEqual(tbs, tbsOf(reference.pem), `${c.deviceId} ${String(notAfter)}`);
      }
    }
  });

  it('writes GeneralizedTime, as the library does, for a validity ending after 2049', async (t) => {
    // A CA made in 2047 issues until 2052; a device certificate is capped there.
    const fleet = await testFleet(t, { start: new Date('2047-03-01T08:00:00Z') });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const request = {
      deviceId: 'SN-2050' as DeviceId,
      storeId: 'store-1' as StoreId,
      deviceClass: 'cart' as const,
      publicKeySpki: newSpki(),
      now: fleet.clock.now(),
    };
    const serialHex = randomSerialHex();
    const reference = await issueDeviceCertificateWithLibrary(ca, request, serialHex);
    const validity = deviceCertificateValidity(ca.newest, request);
    assert.ok(validity.notAfter.getUTCFullYear() >= 2050);
    const tbs = new DeviceCertificateTemplate(ca.newest.issuing).tbs({
      ...request,
      serialHex,
      publicKeySpki: Buffer.from(request.publicKeySpki),
      ...validity,
    });
    assert.deepEqual(tbs, tbsOf(reference.pem));
    assert.ok(tbs.includes(Buffer.from('20520301', 'latin1')), 'a four-digit year');
  });

  it('issues a certificate the issuing CA verifies, whose returned fields are what it holds', async (t) => {
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const signingKey = await loadSigningKey(ca.newest.issuing);
    for (const c of CASES) {
      const issued = await issueDeviceCertificate(ca, {
        deviceId: c.deviceId as DeviceId,
        storeId: c.storeId as StoreId,
        deviceClass: c.deviceClass,
        publicKeySpki: newSpki(),
        now: fleet.clock.now(),
        signingKey,
      });
      const node = new X509Certificate(issued.pem);
      assert.ok(node.checkIssued(ca.newest.issuing.node), 'names the issuing CA');
      assert.ok(node.verify(ca.newest.issuing.node.publicKey), 'signed by the issuing CA');
      // Both readings: Node's native one and the X.509 library's full parse.
      assert.deepEqual(issued.info, readDeviceCertificate(issued.pem));
      assert.deepEqual(issued.info, readParsed(node));
      assert.equal(issued.generation, ca.newest.generation);
    }
  });

  it('signs with the key it is given: another key gives a signature the CA does not verify', async (t) => {
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const request = {
      deviceId: 'SN-1' as DeviceId,
      storeId: 'store-1' as StoreId,
      deviceClass: 'cart' as const,
      publicKeySpki: newSpki(),
      now: fleet.clock.now(),
    };
    const der = await new DeviceCertificateTemplate(ca.newest.issuing).issue(
      {
        ...request,
        serialHex: randomSerialHex(),
        publicKeySpki: Buffer.from(request.publicKeySpki),
        ...deviceCertificateValidity(ca.newest, request),
      },
      stranger,
    );
    assert.equal(new X509Certificate(der).verify(ca.newest.issuing.node.publicKey), false);
  });

  it('refuses to issue for an id the certificate could not carry', async (t) => {
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    for (const [deviceId, storeId] of [
      ['SN,1', 'store-1'],
      ['SN-1', 'store "1"'],
    ] as const) {
      await assert.rejects(
        issueDeviceCertificate(ca, {
          deviceId: deviceId as DeviceId,
          storeId: storeId as StoreId,
          deviceClass: 'cart',
          publicKeySpki: newSpki(),
          now: fleet.clock.now(),
        }),
        (error: unknown) =>
          error instanceof IdentityFailure && error.code === 'not-a-device-certificate',
      );
    }
  });

  it('refuses a device key that is not P-256, as the library did', async (t) => {
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    for (const publicKeySpki of [p384, Buffer.from('not a key')]) {
      await assert.rejects(
        issueDeviceCertificate(ca, {
          deviceId: 'SN-1' as DeviceId,
          storeId: 'store-1' as StoreId,
          deviceClass: 'cart',
          publicKeySpki,
          now: fleet.clock.now(),
        }),
      );
    }
  });
});
