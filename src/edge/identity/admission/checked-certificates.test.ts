import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { makeCsr, testFleet } from '../../../../test-support/identity.js';
import { isFailure } from '../../../shared/failure.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { provisionDevice } from '../provisioning/provision.js';
import { revokeDevice } from '../revocation/revoke.js';
import { admitDevice } from './admit.js';
import { CheckedCertificates } from './checked-certificates.js';

const DAY = 24 * 3600 * 1000;

async function device(t: TestContext, serial = 'SN-1', days?: number) {
  const fleet = await testFleet(t);
  const result = await provisionDevice(fleet.ctx, {
    serial,
    store: 'store-1',
    deviceClass: 'cart',
    csr: (await makeCsr(serial)).pem,
    ...(days ? { notAfter: new Date(fleet.clock.now().getTime() + days * DAY) } : {}),
  });
  const leaf = new X509Certificate(result.certificatePem);
  const ca = await loadFleetCa(fleet.ctx.layout);
  return { ...fleet, leaf, ca };
}

describe('CheckedCertificates', () => {
  it('checks a certificate once and answers from the cache while the CA is the same', async (t) => {
    const { leaf, ca, clock } = await device(t);
    const cache = new CheckedCertificates();
    const first = cache.check(leaf, [], ca, clock.now());
    const again = cache.check(new X509Certificate(leaf.raw), [], ca, clock.now());
    assert.equal(again, first, 'the same certificate presented again is not checked again');
    assert.equal(first.info.deviceId, 'SN-1');
    assert.equal(first.publicKeySpkiBase64, first.info.publicKeySpki.toString('base64'));
  });

  it('checks again against a reloaded CA (a rotation)', async (t) => {
    const { leaf, ca, clock, ctx } = await device(t);
    const cache = new CheckedCertificates();
    const first = cache.check(leaf, [], ca, clock.now());
    const reloaded = await loadFleetCa(ctx.layout);
    assert.notEqual(cache.check(leaf, [], reloaded, clock.now()), first);
  });

  it('refuses a cached certificate once the clock passes its validity', async (t) => {
    const { leaf, ca, clock } = await device(t, 'SN-1', 1);
    const cache = new CheckedCertificates();
    cache.check(leaf, [], ca, clock.now());
    assert.throws(
      () => cache.check(leaf, [], ca, clock.advanceDays(2)),
      (error: unknown) => isFailure(error) && error.code === 'expired',
    );
  });

  it('forgets the least recently used certificate when full', async (t) => {
    const a = await device(t, 'SN-A');
    const b = await device(t, 'SN-B');
    const cache = new CheckedCertificates(1);
    const first = cache.check(a.leaf, [], a.ca, a.clock.now());
    cache.check(b.leaf, [], b.ca, b.clock.now());
    assert.equal(cache.size, 1);
    assert.notEqual(cache.check(a.leaf, [], a.ca, a.clock.now()), first);
  });
});

describe('admitDevice with checked certificates', () => {
  it('still refuses a revoked device whose certificate is cached', async (t) => {
    const { ctx, leaf, ca } = await device(t);
    const certificates = new CheckedCertificates();
    const admitted = await admitDevice(ctx, [leaf], { ca, certificates });
    assert.equal(admitted.deviceId, 'SN-1');
    await revokeDevice(ctx, { serial: 'SN-1', reason: 'keyCompromise' });
    await assert.rejects(
      admitDevice(ctx, [leaf], { ca, certificates }),
      (error: unknown) => isFailure(error) && error.code === 'revoked',
    );
  });
});
