import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScanView } from '../entities/entity-store.js';
import { basketLines } from './session-event.js';

let counter = 0;
function scan(fields: Partial<ScanView>): ScanView {
  counter++;
  return {
    deviceId: 'CART-1',
    counter,
    scanSeq: counter,
    action: 'add',
    barcode: '4006381333931',
    sku: 'SKU-1',
    quantity: 1,
    priceCents: 249,
    weightCheck: 'match',
    scannedAt: '2026-11-23T09:00:00.000Z',
    ...fields,
  };
}

describe('basket lines', () => {
  it('nets adds and removes per item in the order first scanned, dropping items taken out', () => {
    const lines = basketLines([
      scan({ sku: 'SKU-1', quantity: 2 }),
      scan({ sku: null, barcode: '999', priceCents: null }),
      scan({ sku: 'SKU-2', barcode: '222', weightCheck: 'mismatch' }),
      scan({ sku: 'SKU-1', action: 'remove', quantity: 1 }),
      scan({ sku: 'SKU-3', barcode: '333' }),
      scan({ sku: 'SKU-3', barcode: '333', action: 'remove' }),
      scan({ sku: 'SKU-2', barcode: '222', priceCents: 199 }),
    ]);
    assert.deepEqual(lines, [
      {
        sku: 'SKU-1',
        barcode: '4006381333931',
        quantity: 1,
        priceCents: 249,
        weightMismatch: false,
      },
      { sku: null, barcode: '999', quantity: 1, priceCents: null, weightMismatch: false },
      { sku: 'SKU-2', barcode: '222', quantity: 2, priceCents: 199, weightMismatch: true },
    ]);
  });
});
