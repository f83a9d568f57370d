import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { apiRequest } from '../../../test-support/api-client.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  STORE,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { commandDocument, platformCart, sendCommand } from '../../../test-support/platform-cart.js';
import { SHELF } from '../../../test-support/test-cart.js';
import { behindTheCloud, CALM, runTrip } from '../../../test-support/trip-engine.js';
import type { CommandResponse } from '../../contract/index.js';
import type { Cart } from '../cart/cart.js';
import {
  httpsCatalogFetcher,
  type CatalogFetch,
  type CatalogFetcher,
} from '../cart/catalog-cache.js';
import { loadProvisionedDevice } from '../link/device-link.js';

// Cart behaviours against the embedded platform: weight flags on scans and sessions, the battery
// the cloud shows, and the catalog synced over the device API.

describe('trips end to end (embedded platform)', () => {
  it('flags weight mismatches per scan and on the session, and shows the battery', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'guest', {
      faults: { swappedItem: 0.6 },
      items: 6,
    });
    const s = await session(result.sessionIds[0], 'complete');
    const scans = await platform.entities.listSessionScans(s.sessionId);
    const flagged = scans.filter((x) => x.weightCheck === 'mismatch').length;
    assert.ok(flagged > 0);
    assert.equal(s.scanMismatches, flagged);
    const device = await eventually(async () => {
      const d = await platform.entities.getDevice(cart.deviceId);
      return d?.batteryPct !== null ? d : undefined;
    }, 'battery');
    assert.ok(Math.abs(device!.batteryPct! - cart.batteryPct()) < 1);
  });

  it('catalog sync: boot fetches the store catalog over mutual TLS, 304 when unchanged, sync-catalog picks up a price change', async (t) => {
    const { cart, products, fetches, sync, setPrice } = await catalogCart(t, 'CART-E2E-C');
    assert.deepEqual(fetches, ['ok']);
    const version = cart.catalogVersion;
    assert.match(version ?? '', /^[0-9a-f]{32}$/);

    const item = products[2]!;
    const scanned = await scanUntilRead(cart, item.barcode, item.weight_g);
    assert.equal(scanned.entry?.name, 'Store item 2');
    assert.equal(scanned.entry?.price_cents, 102);
    assert.equal(scanned.entry?.sku, 'POS-2');
    assert.equal(cart.view.lastItem, 'Store item 2');
    assert.equal(cart.view.totalCents, 102);
    assert.ok(!cart.view.warnings.includes('price-at-checkout'));

    // Asked again with nothing changed: 304, the cache stays.
    await sync();
    assert.deepEqual(fetches, ['ok', 'not-modified']);
    assert.equal(cart.catalogVersion, version);

    // The POS changes a price; a sync-catalog brings it to the cart (and so does the catalog
    // push through the shadow, which may ask first: then the command's fetch is a 304).
    await setPrice(3, 149);
    await sync();
    assert.deepEqual(fetches.slice(0, 3), ['ok', 'not-modified', 'ok']);
    assert.notEqual(cart.catalogVersion, version);
    const changed = products[3]!;
    const rescanned = await scanUntilRead(cart, changed.barcode, changed.weight_g);
    assert.equal(rescanned.entry?.price_cents, 149);
    assert.equal(cart.view.lastItem, 'Store item 3');
    assert.equal(cart.view.totalCents, 102 + 149);
  });

  it('catalog sync: a unit scanned after a price change is charged at the new price', async (t) => {
    const { cart, products, sync, setPrice } = await catalogCart(t, 'CART-E2E-D');
    const item = products[2]!;
    await scanUntilRead(cart, item.barcode, item.weight_g);
    await setPrice(2, 149);
    await sync();
    const again = await scanUntilRead(cart, item.barcode, item.weight_g);
    assert.equal(again.entry?.price_cents, 149);
    assert.equal(cart.view.totalCents, 102 + 149);
  });
});

/**
 * A cart with no factory catalog that syncs the store's over the device API (its fetches
 * recorded), in a store whose POS catalog holds five shelf items named "Store item <i>" at
 * 100 + i cents.
 */
async function catalogCart(t: TestContext, serial: string) {
  const data = await fleetDataDir(t);
  const dir = await provisionDevice(data, serial);
  const platform = await startTestPlatform(t, data);
  const products = SHELF.catalog(STORE).items.slice(0, 5);
  const prices = products.map((_, i) => 100 + i);
  const importCatalog = async () => {
    const rows = products.map(
      (p, i) => `POS-${i},${p.barcode},Store item ${i},${prices[i]},${p.weight_g ?? ''}`,
    );
    const put = await apiRequest(platform, 'PUT', `/v1/stores/${STORE}/catalog`, {
      body: ['sku,barcode,name,price_cents,weight_g', ...rows].join('\n'),
      contentType: 'text/csv',
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body['imported'], products.length);
    return put.body['changed'];
  };
  assert.equal(await importCatalog(), products.length);

  const https = httpsCatalogFetcher(platform.deviceApiUrl, await loadProvisionedDevice(dir));
  const fetches: CatalogFetch['status'][] = [];
  const catalog: CatalogFetcher = {
    fetch: async (version) => {
      const answer = await https.fetch(version);
      fetches.push(answer.status);
      return answer;
    },
  };
  const responses: CommandResponse[] = [];
  const cart = await platformCart(t, platform, dir, behindTheCloud(60), {
    timing: CALM,
    catalog,
    seedCatalog: undefined,
    observer: { created: (m) => void (m.type === 'command-response' && responses.push(m)) },
  });
  assert.equal(cart.catalogVersion, undefined, 'no factory catalog');
  await cart.powerOn();

  /** A sync-catalog command through the broker, answered succeeded. */
  const sync = async () => {
    const command = commandDocument(cart.deviceId, 'sync-catalog');
    await sendCommand(platform, command);
    const answer = await eventually(
      () => responses.find((r) => r.command_id === command.command_id),
      'the cart answers sync-catalog',
      30_000,
    );
    assert.equal(answer.status, 'succeeded', answer.code);
  };
  const setPrice = async (index: number, cents: number) => {
    prices[index] = cents;
    // The device API builds the store's catalog again at once: no waiting out its 5-minute cache.
    assert.equal(await importCatalog(), 1);
  };
  return { cart, products, fetches, sync, setPrice };
}

/** Retries a failed read (about 5 % of first reads) as a customer would. */
async function scanUntilRead(cart: Cart, barcode: string, weightG: number | undefined) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const outcome = await cart.scanItem({
      barcode,
      symbology: 'ean-13',
      ...(weightG !== undefined ? { weightG } : {}),
    });
    if (outcome.ok) return outcome;
  }
  assert.fail(`no read of ${barcode} in 20 attempts`);
}
