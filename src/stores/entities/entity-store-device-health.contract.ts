import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore } from './entity-store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The per-device reject counter and the top-error query (entity-store.contract.ts runs these). */
export function deviceHealthContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('adds reject counts per device, hour and reason across batches', async (t) => {
    const store = await open(t);
    if (!store) return;
    // Within one batch the same key twice, then the same key again in a later batch.
    await store.recordDeviceRejects(
      [
        { deviceId: 'CART-1', reason: 'schema', at: T0 + 1000, count: 2 },
        { deviceId: 'CART-1', reason: 'schema', at: T0 + 2000, count: 1 },
        { deviceId: 'CART-1', reason: 'signature', at: T0 + 3000, count: 1 },
        { deviceId: 'CART-2', reason: 'replay', at: T0 + 4000, count: 1 },
      ],
      T0 + 5000,
    );
    await store.recordDeviceRejects(
      [{ deviceId: 'CART-1', reason: 'schema', at: T0 + HOUR + 1, count: 4 }],
      T0 + HOUR + 2,
    );
    const top = await store.listTopErrorDevices({ since: T0, limit: 10 });
    assert.deepEqual(
      top.map((d) => [d.deviceId, d.rejects, d.rejectsByReason, d.total]),
      [
        ['CART-1', 8, { schema: 7, signature: 1 }, 8],
        ['CART-2', 1, { replay: 1 }, 1],
      ],
    );
    // A device the entity store never saw has no store or class yet.
    assert.equal(top[0]?.storeId, null);
    // The window counts whole hours from the hour that holds its start.
    const later = await store.listTopErrorDevices({ since: T0 + HOUR + 30 * 60_000, limit: 10 });
    assert.deepEqual(
      later.map((d) => [d.deviceId, d.rejects]),
      [['CART-1', 4]],
    );
  });

  it('prunes reject counts older than eight days as batches are written', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.recordDeviceRejects([{ deviceId: 'CART-1', reason: 'size', at: T0, count: 3 }], T0);
    const nineDaysOn = T0 + 9 * DAY;
    await store.recordDeviceRejects(
      [
        { deviceId: 'CART-2', reason: 'size', at: nineDaysOn, count: 1 },
        // Arriving late for an hour already past the kept week: dropped, not stored.
        { deviceId: 'CART-3', reason: 'size', at: T0 + HOUR, count: 1 },
      ],
      nineDaysOn,
    );
    const top = await store.listTopErrorDevices({ since: 0, limit: 10 });
    assert.deepEqual(
      top.map((d) => d.deviceId),
      ['CART-2'],
    );
  });

  it('ranks devices by rejects, faults and unexpected reboots in the window, by store', async (t) => {
    const store = await open(t);
    if (!store) return;
    const a = new TestDevice('CART-A', 'store-1');
    const b = new TestDevice('CART-B', 'store-1');
    const c = new TestDevice('CART-C', 'store-2');
    const boot = (d: TestDevice, reset: 'power-on' | 'watchdog' | 'panic') =>
      d.event('boot', { reset_reason: reset, rolled_back: false });
    await store.project([
      // A: a normal boot (not counted), two watchdog/panic reboots and a fault.
      boot(a, 'power-on'),
      boot(a, 'watchdog'),
      boot(a, 'panic'),
      a.event('fault', { code: 'scanner-jam', severity: 'warning' }),
      // B: one fault only.
      boot(b, 'power-on'),
      b.event('fault', { code: 'nfc-error', severity: 'warning' }),
      // C, in another store: a fault.
      boot(c, 'power-on'),
      c.event('fault', { code: 'nfc-error', severity: 'critical' }),
    ]);
    await store.recordDeviceRejects(
      [{ deviceId: 'CART-B', reason: 'schema', at: T0, count: 5 }],
      T0 + 60_000,
    );
    const top = await store.listTopErrorDevices({ since: T0 - HOUR, limit: 10 });
    assert.deepEqual(
      top.map((d) => ({
        id: d.deviceId,
        store: d.storeId,
        rejects: d.rejects,
        faults: d.faults,
        reboots: d.reboots,
        total: d.total,
      })),
      [
        { id: 'CART-B', store: 'store-1', rejects: 5, faults: 1, reboots: 0, total: 6 },
        { id: 'CART-A', store: 'store-1', rejects: 0, faults: 1, reboots: 2, total: 3 },
        { id: 'CART-C', store: 'store-2', rejects: 0, faults: 1, reboots: 0, total: 1 },
      ],
    );
    assert.equal(top[0]?.deviceClass, 'cart');
    assert.deepEqual(top[1]?.rejectsByReason, {});
    const one = await store.listTopErrorDevices({ since: T0 - HOUR, limit: 1, storeId: 'store-2' });
    assert.deepEqual(
      one.map((d) => d.deviceId),
      ['CART-C'],
    );
    // Faults and reboots are counted by the device's own time: none after the last one.
    const none = await store.listTopErrorDevices({ since: T0 + DAY, limit: 10 });
    assert.deepEqual(none, []);
  });
}
