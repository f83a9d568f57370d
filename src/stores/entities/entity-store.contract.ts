import { retentionContractTests } from './entity-store-retention.contract.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore } from './entity-store.js';
import { fleetContractTests } from './entity-store-fleet.contract.js';
import { alertContractTests } from './entity-store-alerts.contract.js';
import { alarmContractTests } from './entity-store-alarms.contract.js';
import { checkoutContractTests } from './entity-store-checkout.contract.js';
import { commandContractTests } from './entity-store-commands.contract.js';
import { consoleContractTests } from './entity-store-console.contract.js';
import { deviceHealthContractTests } from './entity-store-device-health.contract.js';
import { listContractTests } from './entity-store-lists.contract.js';
import { mergeContractTests } from './entity-store-merge.contract.js';
import { sessionContractTests } from './entity-store-sessions.contract.js';
import { webhookContractTests } from './entity-store-webhooks.contract.js';
import { coldChainContractTests } from './entity-store-coldchain.contract.js';
import { toolContractTests } from './entity-store-tools.contract.js';

/**
 * The behaviour every EntityStore adapter must have. An adapter's test calls this with a factory
 * that returns a migrated, empty store (closed when the test ends), or undefined when its engine
 * is missing and the test was skipped.
 */
export function runEntityStoreContract(
  name: string,
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  describe(`EntityStore contract: ${name}`, () => {
    it('migrates again without changing anything or losing data', async (t) => {
      const store = await open(t);
      if (!store) return;
      const cart = new TestDevice('CART-1');
      await store.project([cart.event('health', { battery_pct: 55 })]);
      await store.migrate();
      await store.migrate();
      assert.equal((await store.getDevice('CART-1'))?.batteryPct, 55);
    });

    it('creates an unknown device and its store from the event envelope', async (t) => {
      const store = await open(t);
      if (!store) return;
      const sensor = new TestDevice('CC-1', 'dock-9', 'coldchain');
      await store.project([sensor.event('coldchain-telemetry', { battery_pct: 91 })]);
      const view = await store.getDevice('CC-1');
      assert.equal(view?.storeId, 'dock-9');
      assert.equal(view?.deviceClass, 'coldchain');
      assert.equal(view?.batteryPct, 91);
      assert.equal(view?.lastCounter, 1);
      assert.equal(view?.lastSeenAt, new Date(T0 + 1000 + 40).toISOString());
      assert.equal(await store.getDevice('CC-404'), undefined);
    });

    it('shows a cart health report as its current state', async (t) => {
      const store = await open(t);
      if (!store) return;
      const cart = new TestDevice('CART-1');
      await store.project([
        cart.event('health', {
          state: 'charging',
          battery_pct: 42.5,
          battery_mv: 7400,
          charging: true,
          link: 'lte-m',
          rssi_dbm: -90,
          firmware_version: '2.5.0',
          location: { lat: 52.5, lon: 13.4, accuracy_m: 5, source: 'gnss' },
        }),
      ]);
      assert.deepEqual(await store.getDevice('CART-1'), {
        deviceId: 'CART-1',
        storeId: 'store-1',
        deviceClass: 'cart',
        connected: false,
        lastSeenAt: new Date(T0 + 1000 + 40).toISOString(),
        firmwareVersion: '2.5.0',
        batteryPct: 42.5,
        batteryMv: 7400,
        charging: true,
        link: 'lte-m',
        rssiDbm: -90,
        state: 'charging',
        maintenance: false,
        location: { lat: 52.5, lon: 13.4 },
        activeSessionId: null,
        lastCounter: 1,
      });
    });

    it('never moves current state backwards when an older event arrives later', async (t) => {
      const store = await open(t);
      if (!store) return;
      const cart = new TestDevice('CART-1');
      const older = cart.event('health', { battery_pct: 90, firmware_version: '2.4.0' });
      const oldBoot = cart.event('boot', { firmware_version: '2.4.0' });
      const newer = cart.event('health', { battery_pct: 40, firmware_version: '2.5.0' });
      await store.project([newer]);
      await store.project([oldBoot]);
      await store.project([older]);
      const view = await store.getDevice('CART-1');
      assert.equal(view?.batteryPct, 40);
      assert.equal(view?.firmwareVersion, '2.5.0');
      assert.equal(view?.lastCounter, 3);
    });

    it('keeps each part of the state at its own newest event', async (t) => {
      const store = await open(t);
      if (!store) return;
      const cart = new TestDevice('CART-1');
      const health = cart.event('health', { battery_pct: 33 });
      const fault = cart.event('fault', { code: 'scanner-jam' });
      // The fault arrives first; the older health still carries the newest battery reading.
      await store.project([fault]);
      await store.project([health]);
      const view = await store.getDevice('CART-1');
      assert.equal(view?.batteryPct, 33);
      assert.equal(view?.lastCounter, 2);
    });

    it('turns the maintenance flag on and off from the reported shadow', async (t) => {
      const store = await open(t);
      if (!store) return;
      const cart = new TestDevice('CART-1');
      await store.project([cart.event('shadow-report', { reported: { maintenance_mode: true } })]);
      assert.equal((await store.getDevice('CART-1'))?.maintenance, true);
      await store.project([cart.event('shadow-report', { reported: { maintenance_mode: false } })]);
      assert.equal((await store.getDevice('CART-1'))?.maintenance, false);
    });

    sessionContractTests(open);
    mergeContractTests(open);
    listContractTests(open);
    fleetContractTests(open);
    checkoutContractTests(open);
    alertContractTests(open);
    alarmContractTests(open);
    commandContractTests(open);
    consoleContractTests(open);
    webhookContractTests(open);
    deviceHealthContractTests(open);
    coldChainContractTests(open);
    toolContractTests(open);
    retentionContractTests(open);

    it("lists a store's devices, and only that store's", async (t) => {
      const store = await open(t);
      if (!store) return;
      const events = ['CART-2', 'CART-1', 'CART-3'].map((id) =>
        new TestDevice(id, 'store-1').event('health'),
      );
      events.push(new TestDevice('CART-9', 'store-2').event('health'));
      await store.project(events);
      assert.deepEqual(
        (await store.listStoreDevices('store-1')).map((d) => d.deviceId),
        ['CART-1', 'CART-2', 'CART-3'],
      );
      assert.deepEqual(
        (await store.listStoreDevices('store-2')).map((d) => d.deviceId),
        ['CART-9'],
      );
      assert.deepEqual(await store.listStoreDevices('store-404'), []);
    });

    it('registers an admitted device and follows its connection, in any report order', async (t) => {
      const store = await open(t);
      if (!store) return;
      await store.upsertStore({
        storeId: 'berlin-1',
        name: 'Berlin 1',
        region: 'eu',
        timezone: 'Europe/Berlin',
      });
      const device = {
        deviceId: 'CART-7',
        storeId: 'berlin-1',
        deviceClass: 'cart',
        certSerialHex: '0a',
      } as const;
      await store.upsertDevice(device);
      await store.upsertDevice(device);
      await store.recordConnection('CART-7', true, T0 + 5000);
      await store.recordConnection('CART-7', false, T0 + 3000);
      let view = await store.getDevice('CART-7');
      assert.equal(view?.connected, true);
      assert.equal(view?.lastSeenAt, new Date(T0 + 5000).toISOString());
      await store.recordConnection('CART-7', false, T0 + 9000);
      view = await store.getDevice('CART-7');
      assert.equal(view?.connected, false);
      assert.equal(view?.lastSeenAt, new Date(T0 + 9000).toISOString());
      await store.upsertDevice({ ...device, storeId: 'berlin-2' });
      assert.equal((await store.getDevice('CART-7'))?.storeId, 'berlin-2');
      await store.recordConnection('CART-404', true, T0);
      assert.equal(await store.getDevice('CART-404'), undefined);
    });

    it('writes a batch of admissions and connection events as one at a time would', async (t) => {
      const store = await open(t);
      if (!store) return;
      const cart = (n: number) =>
        ({
          deviceId: `CART-${n}`,
          storeId: 'berlin-1',
          deviceClass: 'cart',
          certSerialHex: `0${n}`,
        }) as const;
      await store.recordConnections({
        admitted: [cart(1), cart(2), { ...cart(2), certSerialHex: '22' }],
        events: [
          { deviceId: 'CART-1', connected: true, at: T0 + 5000 },
          { deviceId: 'CART-1', connected: false, at: T0 + 3000 },
          { deviceId: 'CART-2', connected: true, at: T0 + 1000 },
          { deviceId: 'CART-2', connected: false, at: T0 + 2000 },
          { deviceId: 'CART-404', connected: true, at: T0 },
        ],
      });
      const one = await store.getDevice('CART-1');
      assert.equal(one?.connected, true, 'the latest event wins, whatever the order reported');
      assert.equal(one?.lastSeenAt, new Date(T0 + 5000).toISOString());
      const two = await store.getDevice('CART-2');
      assert.equal(two?.connected, false);
      assert.equal(two?.storeId, 'berlin-1');
      assert.equal(await store.getDevice('CART-404'), undefined);
      // A later batch with an older event changes nothing but never moves last-seen back.
      await store.recordConnections({
        admitted: [],
        events: [{ deviceId: 'CART-1', connected: false, at: T0 + 4000 }],
      });
      assert.equal((await store.getDevice('CART-1'))?.connected, true);
      assert.equal(
        (await store.getDevice('CART-1'))?.lastSeenAt,
        new Date(T0 + 5000).toISOString(),
      );
    });

    it('upserts catalog items and counts only rows that changed', async (t) => {
      const store = await open(t);
      if (!store) return;
      const items = [
        {
          sku: 'B-2',
          name: 'Butter 250 g',
          priceCents: 219,
          barcode: '4000000000002',
          weightG: 250,
        },
        { sku: 'A-1', name: 'Apples', priceCents: 299, category: 'produce' },
      ];
      assert.equal(await store.upsertCatalogItems('store-1', items), 2);
      assert.equal(await store.upsertCatalogItems('store-1', items), 0);
      assert.equal(
        await store.upsertCatalogItems('store-1', [{ ...items[1]!, priceCents: 279 }]),
        1,
      );
      assert.deepEqual(await store.listCatalogItems('store-1'), [
        { ...items[1]!, priceCents: 279 },
        items[0],
      ]);
      assert.deepEqual(await store.listCatalogItems('store-2'), []);
    });

    it('keeps text with quotes, backslashes, braces and the word NULL exactly', async (t) => {
      const store = await open(t);
      if (!store) return;
      const awkward = ['"q"', 'back\\slash', '{a,b}', 'NULL', "it's", 'GS\u001D1'];
      const cart = new TestDevice('CART-1');
      const sessionId = randomUUID();
      await store.project(
        awkward.map((barcode, i) =>
          cart.event('scan', { session_id: sessionId, scan_seq: i + 1, barcode }),
        ),
      );
      assert.deepEqual(
        (await store.listSessionScans(sessionId)).map((s) => s.barcode),
        awkward,
      );
      await store.upsertCatalogItems(
        'store-1',
        awkward.map((name, i) => ({ sku: `S-${i}`, name, priceCents: i })),
      );
      assert.deepEqual(
        (await store.listCatalogItems('store-1')).map((item) => item.name),
        awkward,
      );
    });

    it('applies a batch that mixes device classes and stores', async (t) => {
      const store = await open(t);
      if (!store) return;
      const tool = new TestDevice('TOOL-1', 'site-1', 'tool');
      const sensor = new TestDevice('CC-1', 'dock-1', 'coldchain');
      const cart = new TestDevice('CART-1', 'store-1');
      await store.project([
        tool.event('tool-telemetry', { mode: 'drill', battery_pct: 64 }),
        sensor.event('coldchain-telemetry', {
          location: { lat: 48.1, lon: 11.6, accuracy_m: 30, source: 'cell' },
        }),
        cart.event('boot', { firmware_version: '3.0.0' }),
        cart.event('command-response'),
        tool.event('job-status'),
      ]);
      assert.equal((await store.getDevice('TOOL-1'))?.state, 'drill');
      assert.equal((await store.getDevice('TOOL-1'))?.lastCounter, 2);
      assert.deepEqual((await store.getDevice('CC-1'))?.location, { lat: 48.1, lon: 11.6 });
      assert.equal((await store.getDevice('CART-1'))?.firmwareVersion, '3.0.0');
      assert.equal((await store.getDevice('CART-1'))?.lastCounter, 2);
    });
  });
}
