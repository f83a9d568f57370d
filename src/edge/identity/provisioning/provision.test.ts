import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeCsr, testFleet } from '../../../../test-support/identity.js';
import type { DeviceId } from '../../../contract/ids.js';
import { isFailure } from '../../../shared/failure.js';
import { rotateCa } from '../ca/lifecycle.js';
import { revokeDevice } from '../revocation/revoke.js';
import { provisionDevice } from './provision.js';

const failsWith = (code: string, message?: RegExp) => (error: unknown) => {
  assert.ok(isFailure(error), String(error));
  assert.equal(error.code, code);
  if (message) assert.match(error.message, message);
  return true;
};

describe('provisionDevice', () => {
  it('issues from a CSR and registers the device', async (t) => {
    const { ctx, clock } = await testFleet(t);
    const { pem } = await makeCsr('SN-1');
    const result = await provisionDevice(ctx, {
      serial: 'SN-1',
      store: 'store-1',
      deviceClass: 'tool',
      csr: pem,
    });
    assert.equal(result.outcome, 'issued');
    assert.equal(result.generation, 1);
    const record = await ctx.devices.get('SN-1' as DeviceId);
    assert.deepEqual(
      {
        store: record?.store,
        class: record?.class,
        status: record?.status,
        how: record?.how,
        serial_hex: record?.certificate.serial_hex,
        fingerprint256: record?.certificate.fingerprint256,
        public_key: record?.certificate.public_key,
        generation: record?.certificate.generation,
        registered_at: record?.registered_at,
      },
      {
        store: 'store-1',
        class: 'tool',
        status: 'active',
        how: 'provisioned',
        serial_hex: result.info.certSerialHex,
        fingerprint256: result.info.fingerprint256,
        public_key: result.info.publicKeySpki.toString('base64'),
        generation: 1,
        registered_at: clock.now().toISOString(),
      },
    );
  });

  it('provisions a new device as a cart when no class is given', async (t) => {
    const { ctx } = await testFleet(t);
    const { pem } = await makeCsr('SN-9');
    await provisionDevice(ctx, { serial: 'SN-9', store: 'store-1', csr: pem });
    assert.equal((await ctx.devices.get('SN-9' as DeviceId))?.class, 'cart');
  });

  it('changes nothing when the same request is repeated', async (t) => {
    const { ctx } = await testFleet(t);
    const { pem } = await makeCsr('SN-1');
    const request = { serial: 'SN-1', store: 'store-1', deviceClass: 'cart', csr: pem };
    const first = await provisionDevice(ctx, request);
    const before = await ctx.devices.get('SN-1' as DeviceId);
    const again = await provisionDevice(ctx, request);
    assert.equal(again.outcome, 'already-provisioned');
    assert.equal(again.certificatePem, first.certificatePem);
    assert.deepEqual(await ctx.devices.get('SN-1' as DeviceId), before);
    // The class may be left out on a repeat: the registry knows it.
    const withoutClass = { serial: 'SN-1', store: 'store-1', csr: pem };
    assert.equal((await provisionDevice(ctx, withoutClass)).outcome, 'already-provisioned');
  });

  it('refuses another key or another store for a registered serial, pointing at --renew', async (t) => {
    const { ctx, clock } = await testFleet(t);
    const { addStore } = await import('../stores/add-store.js');
    await addStore(ctx.stores, { id: 'store-2', name: 'Store 2' }, clock.now());
    const { pem } = await makeCsr('SN-1');
    await provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', deviceClass: 'cart', csr: pem });
    const other = await makeCsr('SN-1');
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', csr: other.pem }),
      failsWith('duplicate-serial', /--renew/),
    );
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'store-2', csr: pem }),
      failsWith('duplicate-serial'),
    );
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', deviceClass: 'tool', csr: pem }),
      failsWith('duplicate-serial'),
    );
  });

  it('refuses an unknown store, an invalid serial, an unknown class and a missing CA', async (t) => {
    const { ctx } = await testFleet(t);
    const { pem } = await makeCsr('SN-1');
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'nowhere', deviceClass: 'cart', csr: pem }),
      failsWith('unknown-store', /fleetplane store add/),
    );
    for (const serial of ['../x', 'S/1', '', 'a'.repeat(65)]) {
      await assert.rejects(
        provisionDevice(ctx, { serial, store: 'store-1', deviceClass: 'cart', csr: pem }),
        failsWith('invalid-serial'),
      );
    }
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', deviceClass: 'boat', csr: pem }),
      failsWith('invalid-class'),
    );

    const empty = await testFleet(t, { ca: false });
    await assert.rejects(
      provisionDevice(empty.ctx, {
        serial: 'SN-1',
        store: 'store-1',
        deviceClass: 'cart',
        csr: pem,
      }),
      failsWith('ca-not-initialised', /fleetplane ca init/),
    );
  });

  it('renews onto the newest generation and keeps the previous certificate listed', async (t) => {
    const { ctx, clock } = await testFleet(t);
    const first = await provisionDevice(ctx, {
      serial: 'SN-1',
      store: 'store-1',
      deviceClass: 'cart',
      csr: (await makeCsr('SN-1')).pem,
    });
    await rotateCa(ctx.layout, { now: clock.now() });
    const renewed = await provisionDevice(ctx, {
      serial: 'SN-1',
      store: 'store-1',
      renew: true,
      csr: (await makeCsr('SN-1')).pem,
    });
    assert.equal(renewed.outcome, 'renewed');
    assert.equal(renewed.generation, 2);
    const record = await ctx.devices.get('SN-1' as DeviceId);
    assert.equal(record?.certificate.serial_hex, renewed.info.certSerialHex);
    assert.deepEqual(
      record?.previous_certificates.map((c) => [c.serial_hex, c.generation]),
      [[first.info.certSerialHex, 1]],
    );
    assert.equal(record?.revision, 2);
  });

  it('renews with the same key when the key lives in a secure element', async (t) => {
    const { ctx, clock } = await testFleet(t);
    const { pem } = await makeCsr('SN-1');
    await provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', deviceClass: 'cart', csr: pem });
    await rotateCa(ctx.layout, { now: clock.now() });
    const renewed = await provisionDevice(ctx, {
      serial: 'SN-1',
      store: 'store-1',
      renew: true,
      csr: pem,
    });
    assert.equal(renewed.generation, 2);
  });

  it("refuses to renew an unknown, a revoked or another store's device", async (t) => {
    const { ctx, clock } = await testFleet(t);
    const { addStore } = await import('../stores/add-store.js');
    await addStore(ctx.stores, { id: 'store-2', name: 'Store 2' }, clock.now());
    const { pem } = await makeCsr('SN-1');
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', renew: true, csr: pem }),
      failsWith('unknown-device'),
    );
    await provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', deviceClass: 'cart', csr: pem });
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'store-2', renew: true, csr: pem }),
      failsWith('store-mismatch'),
    );
    await revokeDevice(ctx, { serial: 'SN-1' });
    await assert.rejects(
      provisionDevice(ctx, { serial: 'SN-1', store: 'store-1', renew: true, csr: pem }),
      failsWith('device-revoked'),
    );
  });

  it('issues without registering when registration is deferred, and recognises a repeat', async (t) => {
    const { ctx } = await testFleet(t);
    const { pem } = await makeCsr('SN-1');
    const request = {
      serial: 'SN-1',
      store: 'store-1',
      deviceClass: 'cart',
      csr: pem,
      deferRegistration: true,
    };
    const first = await provisionDevice(ctx, request);
    assert.equal(first.outcome, 'issued');
    assert.equal(first.record, undefined);
    assert.equal(await ctx.devices.get('SN-1' as DeviceId), undefined);
    const again = await provisionDevice(ctx, {
      ...request,
      existingCertificatePem: first.certificatePem,
    });
    assert.equal(again.outcome, 'already-provisioned');
    assert.equal(again.certificatePem, first.certificatePem);
  });

  it('registers a serial once when two provisionings race', async (t) => {
    const { ctx } = await testFleet(t);
    const { pem } = await makeCsr('SN-1');
    const request = { serial: 'SN-1', store: 'store-1', deviceClass: 'cart', csr: pem };
    const results = await Promise.all([
      provisionDevice(ctx, request),
      provisionDevice(ctx, request),
    ]);
    assert.deepEqual(results.map((r) => r.outcome).sort(), ['already-provisioned', 'issued']);
    assert.equal(results[0]?.certificatePem, results[1]?.certificatePem);
  });

  it('registers nothing when the step before registration fails, and the retry registers the certificate it issued', async (t) => {
    const { ctx } = await testFleet(t);
    const { pem } = await makeCsr('SN-1');
    const request = { serial: 'SN-1', store: 'store-1', deviceClass: 'cart', csr: pem };
    let issuedPem: string | undefined;
    await assert.rejects(
      provisionDevice(ctx, {
        ...request,
        beforeRegistration: async (r) => {
          assert.equal(await ctx.devices.get('SN-1' as DeviceId), undefined, 'not yet registered');
          issuedPem = r.certificatePem;
          throw new Error('disk full');
        },
      }),
      /disk full/,
    );
    assert.equal(await ctx.devices.get('SN-1' as DeviceId), undefined);
    const retry = await provisionDevice(ctx, { ...request, existingCertificatePem: issuedPem });
    assert.equal(retry.outcome, 'issued');
    assert.equal(retry.certificatePem, issuedPem, 'no second certificate');
    assert.equal((await ctx.devices.get('SN-1' as DeviceId))?.certificate.pem, issuedPem);
  });
});
