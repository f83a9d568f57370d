import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import {
  generateKeys,
  makeCsr,
  testFleet,
  type TestFleet,
} from '../../../../test-support/identity.js';
import type { DeviceId, StoreId } from '../../../contract/ids.js';
import { isFailure } from '../../../shared/failure.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { rotateCa } from '../ca/lifecycle.js';
import { issueServerCertificate } from '../ca/server-certificate.js';
import { issueDeviceCertificate } from '../certificates/device-certificate.js';
import { provisionDevice, type ProvisionRequest } from '../provisioning/provision.js';
import { revokeDevice } from '../revocation/revoke.js';
import { subtle } from '../x509.js';
import { admitDevice } from './admit.js';

const failsWith = (code: string, message?: RegExp) => (error: unknown) => {
  assert.ok(isFailure(error), String(error));
  assert.equal(error.code, code);
  if (message) assert.match(error.message, message);
  return true;
};

async function provision(
  fleet: TestFleet,
  serial: string,
  extra: Partial<ProvisionRequest> = {},
): Promise<{ chain: string; certificatePem: string }> {
  const result = await provisionDevice(fleet.ctx, {
    serial,
    store: 'store-1',
    deviceClass: 'cart',
    csr: (await makeCsr(serial)).pem,
    ...extra,
  });
  return { chain: result.certificatePem + result.chainPem, certificatePem: result.certificatePem };
}

async function fleetWithDevice(t: TestContext) {
  const fleet = await testFleet(t);
  return { ...fleet, ...(await provision(fleet, 'SN-1')) };
}

describe('admitDevice', () => {
  it('admits a provisioned device and returns its identity and key', async (t) => {
    const { ctx, chain } = await fleetWithDevice(t);
    const admitted = await admitDevice(ctx, chain);
    assert.equal(admitted.deviceId, 'SN-1');
    assert.equal(admitted.storeId, 'store-1');
    assert.equal(admitted.deviceClass, 'cart');
    assert.equal(admitted.generation, 1);
    assert.equal(admitted.jit, false);
    assert.equal(admitted.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });

  it('admits a device that presents only its own certificate, or Node certificates', async (t) => {
    const { ctx, chain, certificatePem } = await fleetWithDevice(t);
    assert.equal((await admitDevice(ctx, certificatePem)).deviceId, 'SN-1');
    const nodeCerts = chain
      .split(/(?<=-----END CERTIFICATE-----\n)/)
      .map((p) => new X509Certificate(p));
    assert.equal((await admitDevice(ctx, nodeCerts)).deviceId, 'SN-1');
  });

  it('refuses a certificate issued by another CA', async (t) => {
    const ours = await testFleet(t);
    const theirs = await testFleet(t);
    const foreign = await provision(theirs, 'SN-1');
    await assert.rejects(admitDevice(ours.ctx, foreign.chain), failsWith('untrusted-issuer'));
  });

  it('refuses an expired certificate', async (t) => {
    const fleet = await testFleet(t);
    const notAfter = new Date(fleet.clock.now().getTime() + 24 * 3600 * 1000);
    const { chain } = await provision(fleet, 'SN-1', { notAfter });
    assert.equal((await admitDevice(fleet.ctx, chain)).deviceId, 'SN-1');
    fleet.clock.advanceDays(2);
    await assert.rejects(admitDevice(fleet.ctx, chain), failsWith('expired', /SN-1/));
  });

  it('refuses every certificate once the clock passes the CA validity', async (t) => {
    const { ctx, chain, clock } = await fleetWithDevice(t);
    clock.advanceDays(6 * 366);
    await assert.rejects(admitDevice(ctx, chain), failsWith('expired'));
  });

  it('refuses a certificate that is not valid yet', async (t) => {
    const { ctx, chain, clock } = await fleetWithDevice(t);
    await assert.rejects(
      admitDevice(ctx, chain, { now: new Date(clock.now().getTime() - 3600 * 1000) }),
      failsWith('not-yet-valid'),
    );
  });

  it('refuses a revoked certificate', async (t) => {
    const { ctx, chain } = await fleetWithDevice(t);
    await revokeDevice(ctx, { serial: 'SN-1', reason: 'keyCompromise' });
    await assert.rejects(admitDevice(ctx, chain), failsWith('revoked'));
    await assert.rejects(
      admitDevice(ctx, chain, { isRevoked: () => false }),
      failsWith('revoked'),
      'the registry status refuses it even if a revocation list lags',
    );
  });

  it('refuses a certificate the revocation check reports, before touching the registry', async (t) => {
    const { ctx, chain } = await fleetWithDevice(t);
    await assert.rejects(admitDevice(ctx, chain, { isRevoked: () => true }), failsWith('revoked'));
  });

  it('refuses a valid certificate for a registered device that holds another one', async (t) => {
    const fleet = await fleetWithDevice(t);
    const ca = await loadFleetCa(fleet.ctx.layout);
    const keys = await generateKeys();
    const impostor = await issueDeviceCertificate(ca, {
      deviceId: 'SN-1' as DeviceId,
      storeId: 'store-1' as StoreId,
      deviceClass: 'cart',
      publicKeySpki: new Uint8Array(await subtle.exportKey('spki', keys.publicKey)),
      now: fleet.clock.now(),
    });
    await assert.rejects(admitDevice(fleet.ctx, impostor.pem), failsWith('certificate-mismatch'));
  });

  it('refuses a server certificate as not-a-device-certificate', async (t) => {
    const fleet = await testFleet(t);
    const ca = await loadFleetCa(fleet.ctx.layout);
    const server = await issueServerCertificate(ca, ['broker.local'], { now: fleet.clock.now() });
    await assert.rejects(
      admitDevice(fleet.ctx, server.certPem + server.chainPem),
      failsWith('not-a-device-certificate'),
    );
  });

  it('refuses garbage and an empty chain', async (t) => {
    const fleet = await testFleet(t);
    await assert.rejects(
      admitDevice(fleet.ctx, 'nothing here'),
      failsWith('malformed-certificate'),
    );
    await assert.rejects(admitDevice(fleet.ctx, []), failsWith('malformed-certificate'));
  });
});

describe('just-in-time registration', () => {
  it('registers an unknown device on first contact, bound to the store in its certificate', async (t) => {
    const fleet = await testFleet(t);
    const { chain } = await provision(fleet, 'SN-J', { deferRegistration: true });
    assert.equal(await fleet.ctx.devices.get('SN-J' as DeviceId), undefined);

    const first = await admitDevice(fleet.ctx, chain);
    assert.equal(first.jit, true);
    const record = await fleet.ctx.devices.get('SN-J' as DeviceId);
    assert.equal(record?.how, 'jit');
    assert.equal(record?.store, 'store-1');
    assert.equal(record?.certificate.serial_hex, first.certSerialHex);

    const second = await admitDevice(fleet.ctx, chain);
    assert.equal(second.jit, false);
  });

  it('refuses first contact from a device whose store is unknown', async (t) => {
    const fleet = await testFleet(t);
    const ca = await loadFleetCa(fleet.ctx.layout);
    const keys = await generateKeys();
    const cert = await issueDeviceCertificate(ca, {
      deviceId: 'SN-X' as DeviceId,
      storeId: 'closed-store' as StoreId,
      deviceClass: 'tool',
      publicKeySpki: new Uint8Array(await subtle.exportKey('spki', keys.publicKey)),
      now: fleet.clock.now(),
    });
    await assert.rejects(admitDevice(fleet.ctx, cert.pem), failsWith('unknown-store'));
    assert.equal(await fleet.ctx.devices.get('SN-X' as DeviceId), undefined);
  });

  it('registers a device once when its first connections race', async (t) => {
    const fleet = await testFleet(t);
    const { chain } = await provision(fleet, 'SN-J', { deferRegistration: true });
    const results = await Promise.all([1, 2, 3].map(() => admitDevice(fleet.ctx, chain)));
    assert.equal(results.filter((r) => r.jit).length, 1);
  });
});

describe('admission across a CA rotation', () => {
  it('admits G1 devices during the overlap and refuses them after it', async (t) => {
    const { ctx, chain, clock } = await fleetWithDevice(t);
    await rotateCa(ctx.layout, { now: clock.now(), overlapDays: 90 });
    clock.advanceDays(89);
    assert.equal((await admitDevice(ctx, chain)).generation, 1);
    clock.advanceDays(2);
    await assert.rejects(admitDevice(ctx, chain), failsWith('untrusted-issuer', /generation 1/));
  });

  it('issues new devices from G2', async (t) => {
    const fleet = await fleetWithDevice(t);
    await rotateCa(fleet.ctx.layout, { now: fleet.clock.now() });
    const { chain } = await provision(fleet, 'SN-2');
    assert.equal((await admitDevice(fleet.ctx, chain)).generation, 2);
  });

  it('keeps a device renewed onto G2 admitted after the overlap, and its old certificate until then', async (t) => {
    const fleet = await fleetWithDevice(t);
    const old = fleet.chain;
    await rotateCa(fleet.ctx.layout, { now: fleet.clock.now(), overlapDays: 90 });
    const renewed = await provisionDevice(fleet.ctx, {
      serial: 'SN-1',
      store: 'store-1',
      renew: true,
      csr: (await makeCsr('SN-1')).pem,
    });
    const fresh = renewed.certificatePem + renewed.chainPem;
    assert.equal(
      (await admitDevice(fleet.ctx, old)).generation,
      1,
      'the replaced certificate still works',
    );
    assert.equal((await admitDevice(fleet.ctx, fresh)).generation, 2);
    fleet.clock.advanceDays(91);
    await assert.rejects(admitDevice(fleet.ctx, old), failsWith('untrusted-issuer'));
    assert.equal((await admitDevice(fleet.ctx, fresh)).deviceId, 'SN-1');
  });
});
