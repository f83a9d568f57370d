import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { DeviceId, StoreId } from '../../../contract/ids.js';
import type { CertificateRecord, DeviceRecord } from './device-record.js';
import type { DeviceRegistry } from './device-registry.js';

/**
 * The behaviour every DeviceRegistry adapter must have. An adapter's test calls this with a
 * factory that returns an empty registry; the file adapter does, and a database adapter will.
 */
export function runDeviceRegistryContract(
  name: string,
  makeRegistry: (t: TestContext) => Promise<DeviceRegistry>,
): void {
  describe(`DeviceRegistry contract: ${name}`, () => {
    it('returns what was created', async (t) => {
      const registry = await makeRegistry(t);
      const record = sampleDeviceRecord('SN-1');
      assert.equal(await registry.create(record), 'created');
      assert.deepEqual(await registry.get(record.serial), record);
    });

    it('returns undefined for a serial it does not know', async (t) => {
      const registry = await makeRegistry(t);
      assert.equal(await registry.get('SN-404' as DeviceId), undefined);
    });

    it('refuses to create a serial twice and keeps the first record', async (t) => {
      const registry = await makeRegistry(t);
      const first = sampleDeviceRecord('SN-1');
      assert.equal(await registry.create(first), 'created');
      assert.equal(await registry.create(sampleDeviceRecord('SN-1', { store: 'other' })), 'exists');
      assert.deepEqual(await registry.get(first.serial), first);
    });

    it('lets exactly one of concurrent creators of a serial win', async (t) => {
      const registry = await makeRegistry(t);
      const results = await Promise.all(
        ['a', 'b', 'c', 'd'].map((s) => registry.create(sampleDeviceRecord('SN-R', { store: s }))),
      );
      assert.equal(results.filter((r) => r === 'created').length, 1);
    });

    it('updates a record at the expected revision and refuses a stale one', async (t) => {
      const registry = await makeRegistry(t);
      const record = sampleDeviceRecord('SN-1');
      await registry.create(record);
      const next = { ...record, class: 'tool' as const, revision: record.revision + 1 };
      assert.equal(await registry.update(next), 'updated');
      assert.equal(await registry.update({ ...record, revision: record.revision + 1 }), 'conflict');
      assert.deepEqual(await registry.get(record.serial), next);
    });

    it('lets one of two concurrent updates from the same revision win', async (t) => {
      const registry = await makeRegistry(t);
      const record = sampleDeviceRecord('SN-1');
      await registry.create(record);
      const results = await Promise.all(
        (['tool', 'coldchain'] as const).map((c) =>
          registry.update({ ...record, class: c, revision: record.revision + 1 }),
        ),
      );
      assert.deepEqual([...results].sort(), ['conflict', 'updated']);
    });

    it('reports an update of an unknown serial as missing', async (t) => {
      const registry = await makeRegistry(t);
      assert.equal(await registry.update(sampleDeviceRecord('SN-404', { revision: 2 })), 'missing');
    });

    it('lists every record', async (t) => {
      const registry = await makeRegistry(t);
      for (const s of ['SN-2', 'SN-1', 'SN-3']) await registry.create(sampleDeviceRecord(s));
      assert.deepEqual(
        (await registry.list()).map((r) => r.serial),
        ['SN-1', 'SN-2', 'SN-3'],
      );
    });

    it('marks a device revoked once and keeps the first revocation', async (t) => {
      const registry = await makeRegistry(t);
      await registry.create(sampleDeviceRecord('SN-1'));
      const at = new Date('2030-01-01T00:00:00Z');
      const revoked = await registry.markRevoked('SN-1' as DeviceId, {
        at,
        reason: 'keyCompromise',
      });
      assert.equal(revoked?.status, 'revoked');
      assert.equal(revoked?.revoked_at, at.toISOString());
      const again = await registry.markRevoked('SN-1' as DeviceId, {
        at: new Date('2031-01-01T00:00:00Z'),
        reason: 'superseded',
      });
      assert.deepEqual(again, revoked);
      assert.deepEqual(await registry.get('SN-1' as DeviceId), revoked);
    });

    it('marks nothing revoked for an unknown serial', async (t) => {
      const registry = await makeRegistry(t);
      const at = new Date();
      assert.equal(
        await registry.markRevoked('SN-404' as DeviceId, { at, reason: 'unspecified' }),
        undefined,
      );
    });
  });
}

export function sampleDeviceRecord(
  serial: string,
  overrides: Partial<Omit<DeviceRecord, 'serial' | 'store'>> & { store?: string } = {},
): DeviceRecord {
  const certificate: CertificateRecord = {
    serial_hex: '0123456789abcdef0123456789abcdef',
    fingerprint256: 'AA:BB',
    public_key: 'MFkw',
    generation: 1,
    not_before: '2026-01-01T00:00:00.000Z',
    not_after: '2036-01-01T00:00:00.000Z',
    pem: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
  };
  const { store, ...rest } = overrides;
  return {
    serial: serial as DeviceId,
    store: (store ?? 'store-1') as StoreId,
    class: 'cart',
    status: 'active',
    how: 'provisioned',
    registered_at: '2026-01-01T00:00:00.000Z',
    certificate,
    previous_certificates: [],
    revision: 1,
    ...rest,
  };
}
