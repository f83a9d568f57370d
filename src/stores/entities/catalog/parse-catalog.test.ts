import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogFormat, parseCatalog } from './parse-catalog.js';

describe('parseCatalog', () => {
  it('reads a CSV in any column order, with optional columns left empty', () => {
    const parsed = parseCatalog(
      'name,price_cents,sku,barcode,weight_g\n"Butter, salted",219,B-1,4000000000002,250\nApples,299,A-1,,\n',
      'csv',
    );
    assert.deepEqual(parsed.items, [
      {
        sku: 'B-1',
        name: 'Butter, salted',
        priceCents: 219,
        barcode: '4000000000002',
        weightG: 250,
      },
      { sku: 'A-1', name: 'Apples', priceCents: 299 },
    ]);
    assert.deepEqual(parsed.rejected, []);
  });

  it('rejects bad rows with their line and reason and keeps the good ones', () => {
    const parsed = parseCatalog(
      [
        'sku,name,price_cents,weight_g',
        'OK-1,Milk,99,1030',
        'BAD/1,Slash,99,',
        'OK-2,,99,',
        'OK-3,Euros,2.49,',
        'OK-4,Heavy,100,999999',
        'OK-1,Again,5,',
        'OK-5,Short',
        'OK-6,Fine,0,',
      ].join('\n'),
      'csv',
    );
    assert.deepEqual(
      parsed.items.map((i) => i.sku),
      ['OK-1', 'OK-6'],
    );
    assert.deepEqual(parsed.rejected, [
      { line: 3, reason: "sku 'BAD/1' is not 1-40 letters, digits, '.', '_' or '-'" },
      { line: 4, reason: 'name is empty' },
      { line: 5, reason: "price_cents must be a whole number, got '2.49'" },
      { line: 6, reason: 'weight_g must be at most 30000, got 999999' },
      { line: 7, reason: 'sku OK-1 already appears on line 2' },
      { line: 8, reason: '2 fields where the header has 4' },
    ]);
  });

  it('counts lines from where a row starts when a quoted field spans lines', () => {
    const parsed = parseCatalog('sku,name,price_cents\nA,"two\nlines",1\nB,x,oops\n', 'csv');
    assert.deepEqual(parsed.rejected, [
      { line: 2, reason: 'name contains a control character' },
      { line: 4, reason: "price_cents must be a whole number, got 'oops'" },
    ]);
  });

  it('refuses a whole file with an unknown or missing column', () => {
    assert.throws(() => parseCatalog('sku,name,price\nA,b,1\n', 'csv'), {
      code: 'invalid-catalog',
      message: /unknown column 'price'/,
    });
    assert.throws(() => parseCatalog('sku,name\nA,b\n', 'csv'), {
      code: 'invalid-catalog',
      message: /lacks price_cents/,
    });
    assert.throws(() => parseCatalog('', 'csv'), { code: 'invalid-catalog' });
    assert.throws(() => parseCatalog('sku,name,price_cents\n"A,b,1\n', 'csv'), {
      code: 'invalid-catalog',
      message: /line 2/,
    });
  });

  it('reads a JSON array with the same fields and reports items by position', () => {
    const parsed = parseCatalog(
      JSON.stringify([
        { sku: 'A-1', name: 'Apples', price_cents: 299, weight_g: null, category: 'produce' },
        { sku: 'A-2', name: 'Pears', price: 1 },
        'nope',
        { sku: 'A-3', name: 'Plums', price_cents: -5 },
      ]),
      'json',
    );
    assert.deepEqual(parsed.items, [
      { sku: 'A-1', name: 'Apples', priceCents: 299, category: 'produce' },
    ]);
    assert.equal(parsed.unit, 'item');
    assert.deepEqual(
      parsed.rejected.map((r) => r.line),
      [2, 3, 4],
    );
    assert.throws(() => parseCatalog('{"sku": "A"}', 'json'), { code: 'invalid-catalog' });
    assert.throws(() => parseCatalog('[{', 'json'), { code: 'invalid-catalog' });
  });
});

describe('catalogFormat', () => {
  it('goes by the extension, then by the first character', () => {
    assert.equal(catalogFormat('items.JSON', 'sku'), 'json');
    assert.equal(catalogFormat('items.csv', '['), 'csv');
    assert.equal(catalogFormat('export.txt', '  [{}]'), 'json');
    assert.equal(catalogFormat('export.txt', 'sku,name'), 'csv');
  });
});
