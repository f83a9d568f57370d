import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { makeCsr, testFleet, type TestFleet } from '../../../../test-support/identity.js';
import type { DeviceId } from '../../../contract/ids.js';
import { isFailure } from '../../../shared/failure.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { rotateCa } from '../ca/lifecycle.js';
import { pemBlocks } from '../pem.js';
import { provisionDevice } from '../provisioning/provision.js';
import { x509 } from '../x509.js';
import { refreshCrls } from './crl.js';
import { revokeDevice } from './revoke.js';
import { readRevocations } from './revocation-log.js';

async function provision(fleet: TestFleet, serial: string) {
  return provisionDevice(fleet.ctx, {
    serial,
    store: 'store-1',
    deviceClass: 'cart',
    csr: (await makeCsr(serial)).pem,
  });
}

async function crls(fleet: TestFleet) {
  return pemBlocks(await readFile(fleet.ctx.layout.crl, 'utf8')).map((b) => {
    assert.equal(b.label, 'X509 CRL', 'OpenSSL and Node only read X509 CRL blocks');
    return new x509.X509Crl(b.der);
  });
}

describe('revokeDevice', () => {
  it('marks the device revoked, logs its certificate and lists it in the issuing CA CRL', async (t) => {
    const fleet = await testFleet(t);
    const { info } = await provision(fleet, 'SN-1');
    const result = await revokeDevice(fleet.ctx, { serial: 'SN-1', reason: 'keyCompromise' });
    assert.equal(result.outcome, 'revoked');
    const record = await fleet.ctx.devices.get('SN-1' as DeviceId);
    assert.equal(record?.status, 'revoked');
    assert.equal(record?.revoked_at, fleet.clock.now().toISOString());
    assert.equal(record?.revocation_reason, 'keyCompromise');
    assert.deepEqual(
      (await readRevocations(fleet.ctx.layout)).map((r) => [r.cert_serial, r.device_id, r.reason]),
      [[info.certSerialHex, 'SN-1', 'keyCompromise']],
    );

    const ca = await loadFleetCa(fleet.ctx.layout);
    const [rootCrl, issuingCrl] = await crls(fleet);
    assert.equal(rootCrl?.issuer, ca.newest.root.cert.subject);
    assert.equal(rootCrl?.entries.length, 0);
    assert.equal(issuingCrl?.issuer, ca.newest.issuing.cert.subject);
    assert.equal(
      issuingCrl?.findRevoked(info.certSerialHex)?.reason,
      x509.X509CrlReason.keyCompromise,
    );
    assert.ok(await issuingCrl?.verify({ publicKey: ca.newest.issuing.cert }));
    assert.ok(await rootCrl?.verify({ publicKey: ca.newest.root.cert }));
    const week = (issuingCrl!.nextUpdate!.getTime() - issuingCrl!.thisUpdate.getTime()) / 864e5;
    assert.equal(week, 7);
  });

  it('reports an already revoked device and changes nothing', async (t) => {
    const fleet = await testFleet(t);
    await provision(fleet, 'SN-1');
    const first = await revokeDevice(fleet.ctx, { serial: 'SN-1', reason: 'keyCompromise' });
    const crl = await readFile(fleet.ctx.layout.crl, 'utf8');
    fleet.clock.advanceDays(1);
    const again = await revokeDevice(fleet.ctx, { serial: 'SN-1', reason: 'superseded' });
    assert.equal(again.outcome, 'already-revoked');
    assert.deepEqual(again.record, first.record);
    assert.equal(await readFile(fleet.ctx.layout.crl, 'utf8'), crl);
    assert.equal((await readRevocations(fleet.ctx.layout)).length, 1);
  });

  it('refuses an unknown serial with unknown-device', async (t) => {
    const fleet = await testFleet(t);
    await assert.rejects(
      revokeDevice(fleet.ctx, { serial: 'SN-404' }),
      (e) => isFailure(e) && e.code === 'unknown-device',
    );
  });

  it('revokes the certificate a device was renewed from as well', async (t) => {
    const fleet = await testFleet(t);
    const old = await provision(fleet, 'SN-1');
    await rotateCa(fleet.ctx.layout, { now: fleet.clock.now() });
    const renewed = await provisionDevice(fleet.ctx, {
      serial: 'SN-1',
      store: 'store-1',
      renew: true,
      csr: (await makeCsr('SN-1')).pem,
    });
    const result = await revokeDevice(fleet.ctx, { serial: 'SN-1' });
    assert.deepEqual(
      [...result.certSerials].sort(),
      [old.info.certSerialHex, renewed.info.certSerialHex].sort(),
    );
    const all = await crls(fleet);
    assert.equal(all.length, 4, 'root and issuing CRL for each trusted generation');
    const g1 = all[1]!;
    const g2 = all[3]!;
    assert.ok(g1.findRevoked(old.info.certSerialHex));
    assert.ok(!g1.findRevoked(renewed.info.certSerialHex));
    assert.ok(g2.findRevoked(renewed.info.certSerialHex));
  });
});

describe('refreshCrls', () => {
  it('rewrites the CRLs with a later date and drops generations no longer trusted', async (t) => {
    const fleet = await testFleet(t);
    await rotateCa(fleet.ctx.layout, { now: fleet.clock.now(), overlapDays: 10 });
    assert.equal((await crls(fleet)).length, 4);
    fleet.clock.advanceDays(11);
    await refreshCrls(fleet.ctx.layout, await loadFleetCa(fleet.ctx.layout), fleet.clock.now());
    const after = await crls(fleet);
    assert.equal(after.length, 2);
    assert.equal(after[0]?.thisUpdate.getTime(), fleet.clock.now().getTime());
  });
});
