import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceView } from '../../stores/entities/entity-store.js';
import { CATALOG_PUSH_ACTOR, CatalogPush } from './catalog-push.js';

const device = (deviceId: string, deviceClass: DeviceView['deviceClass']) =>
  ({ deviceId, deviceClass }) as DeviceView;

test("names the rebuilt version in the desired shadow of each of the store's carts, and only carts", async () => {
  const rebuilt: string[] = [];
  const written: [string, Record<string, unknown>, string][] = [];
  const push = new CatalogPush({
    catalogs: {
      changed: async (storeId) => {
        rebuilt.push(storeId);
        return { version: 'v2' };
      },
    },
    devices: {
      listStoreDevices: async () => [
        device('CART-1', 'cart'),
        device('FRIDGE-1', 'coldchain'),
        device('CART-2', 'cart'),
        device('CART-3', 'cart'),
      ],
    },
    shadows: {
      setDesired: async (deviceId, patch, by) => {
        if (deviceId === 'CART-3') throw new Error('shadow-busy');
        written.push([deviceId, { ...patch }, by]);
        return {} as never;
      },
    },
    log: { info: () => {}, warn: () => {} },
    now: () => 0,
  });
  assert.deepEqual(await push.changed('berlin-1'), { version: 'v2', carts: 2, failed: 1 });
  assert.deepEqual(rebuilt, ['berlin-1']);
  assert.deepEqual(written.sort(), [
    ['CART-1', { catalog_version: 'v2' }, CATALOG_PUSH_ACTOR],
    ['CART-2', { catalog_version: 'v2' }, CATALOG_PUSH_ACTOR],
  ]);
});
