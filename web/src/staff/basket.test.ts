import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scan } from '../api/types.js';
import { basketOf, basketTotal } from './basket.js';

let seq = 0;
function scan(
  barcode: string,
  action: 'add' | 'remove',
  quantity: number,
  extra: Partial<Scan> = {},
): Scan {
  seq++;
  return {
    deviceId: 'CART-1',
    counter: 100 + seq,
    scanSeq: seq,
    action,
    barcode,
    sku: null,
    quantity,
    priceCents: 249,
    weightCheck: 'match',
    scannedAt: '2026-11-23T09:00:00.000Z',
    ...extra,
  };
}

describe('the basket from a session scans', () => {
  it('nets adds and removes per item in first-added order and drops emptied lines', () => {
    const scans = [
      scan('111', 'add', 2, { sku: 'SKU-1' }),
      scan('222', 'add', 1, { weightCheck: 'mismatch', priceCents: 99 }),
      scan('333', 'add', 1),
      scan('111', 'remove', 1),
      scan('333', 'remove', 1),
    ];
    const lines = basketOf([...scans].reverse());
    assert.deepEqual(
      lines.map((l) => [l.barcode, l.sku, l.quantity, l.mismatches]),
      [
        ['111', 'SKU-1', 1, 0],
        ['222', null, 1, 1],
      ],
    );
    assert.equal(basketTotal(lines), 249 + 99);
  });

  it('is empty for no scans', () => {
    assert.deepEqual(basketOf([]), []);
    assert.equal(basketTotal([]), 0);
  });
});
