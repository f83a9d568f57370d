import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SHELF, testCart, until } from '../../../test-support/test-cart.js';
import type { Product } from '../sim/shelf.js';
import type { Cart } from './cart.js';
import { markList } from './shopping-list.js';

const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };
/** Not in the catalog, so nothing but the list could put it in flash. */
const OFF_CATALOG = 'PRE-SHOP-ONLY-7';

async function scan(cart: Cart, product: Product): Promise<void> {
  for (let i = 0; i < 20; i++) if ((await cart.scanItem(product)).ok) return;
  throw new Error('no read');
}

async function flashHolds(dir: string, text: string): Promise<boolean> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = await readFile(join(entry.parentPath, entry.name)).catch(() => undefined);
    if (bytes?.toString('latin1').includes(text)) return true;
  }
  return false;
}

describe('pre-shop list', () => {
  it('ticks items as the basket holds them, unticks a removal, counts carried lines', () => {
    const lines = [
      { barcode: '1', sku: 'A', quantity: 1, price_cents: 100 },
      { barcode: '2', sku: 'B', quantity: 0, price_cents: 100 },
      { barcode: '3', quantity: 1 },
    ];
    assert.deepEqual(markList(['A', 'B', 'C'], lines), [
      { sku: 'A', done: true },
      { sku: 'B', done: false },
      { sku: 'C', done: false },
    ]);
    assert.deepEqual(markList(undefined, lines), []);
  });

  it('marks scanned items on the display and is gone after the session, never in flash', async (t) => {
    const { cart, broker } = await testCart(t, { timing: CALM });
    const [milk, bread, eggs] = SHELF.products as [Product, Product, Product];
    await cart.powerOn();
    await cart.tap({ kind: 'loyalty', number: '6012345678901234' });
    await scan(cart, milk);
    broker.command('attach-customer', {
      session_id: cart.sessionId,
      shopping_list: [milk.sku, bread.sku, OFF_CATALOG],
    });
    await until(() => cart.view.list.length === 3, 'the list on the display');
    assert.deepEqual(cart.view.list, [
      { sku: milk.sku, done: true },
      { sku: bread.sku, done: false },
      { sku: OFF_CATALOG, done: false },
    ]);
    await scan(cart, eggs);
    await scan(cart, bread);
    assert.deepEqual(
      cart.view.list.map((m) => m.done),
      [true, true, false],
    );
    assert.equal(await flashHolds(cart.flashDir, OFF_CATALOG), false);

    assert.equal(
      (await cart.checkout({ kind: 'payment', cardId: 'card-list' })).status,
      'authorized',
    );
    assert.deepEqual(cart.view.list, []);
    await cart.startAsGuest();
    await scan(cart, bread);
    assert.deepEqual(cart.view.list, [], 'the next customer does not see it');
    assert.equal(await flashHolds(cart.flashDir, OFF_CATALOG), false);
  });
});
