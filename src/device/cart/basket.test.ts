import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Basket } from './basket.js';

describe('basket', () => {
  it('keeps quantities, a total of priced lines, and survives the trip through flash', () => {
    const basket = Basket.fresh(0);
    basket.add({ barcode: 'A', sku: 'SKU-A', quantity: 1, price_cents: 249 });
    basket.add({ barcode: 'A', sku: 'SKU-A', quantity: 1, price_cents: 249 });
    basket.add({ barcode: 'B', quantity: 1 });
    assert.equal(basket.itemCount, 3);
    assert.equal(basket.totalCents, 498, 'an unpriced line counts at checkout, not here');
    assert.ok(basket.remove('A'));
    assert.equal(basket.remove('Z'), undefined);
    basket.nextSeq();
    basket.countMismatch();
    const again = Basket.fromHeld(JSON.parse(JSON.stringify(basket.held('paused'))));
    assert.deepEqual(again.lines, basket.lines);
    assert.equal(again.scanSeq, 1);
    assert.equal(again.weightMismatches, 1);
    assert.equal(again.sessionId, basket.sessionId);
  });

  it('charges a unit scanned after a price change at the new price, on a line of its own', () => {
    const basket = Basket.fresh(0);
    basket.add({ barcode: 'A', sku: 'SKU-A', quantity: 1, price_cents: 102 });
    basket.add({ barcode: 'A', sku: 'SKU-A', quantity: 1, price_cents: 149 });
    assert.equal(basket.totalCents, 102 + 149);
    assert.equal(basket.lines.length, 2);
    assert.equal(basket.remove('A')?.price_cents, 149, 'a removal takes the newest price');
    assert.equal(basket.totalCents, 102);
    assert.ok(basket.has('A'));
  });
});
