import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../random.js';
import { ean13, Shelf } from './shelf.js';

describe('shelf', () => {
  it('is mostly inside the top-2,000 cache, with a long tail outside it', () => {
    const shelf = new Shelf();
    const cached = new Set(shelf.catalog('berlin-1').items.map((i) => i.barcode));
    assert.equal(cached.size, 2000);
    const random = mulberry32(9);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (cached.has(shelf.pick(random).barcode)) hits++;
    assert.ok(hits / 10_000 > 0.95 && hits < 10_000, `hit rate ${hits / 10_000}`);
    assert.equal(cached.has(shelf.pickUncached(random)!.barcode), false);
  });

  it('makes valid EAN-13 barcodes', () => {
    assert.equal(ean13('400638133393'), '4006381333931');
  });
});
