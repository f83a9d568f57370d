import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScanView } from '../../stores/entities/entity-store.js';
import { checkBasket } from './basket-check.js';

const A = { barcode: '4006381333931', sku: 'SKU-1029', quantity: 1, price_cents: 249 };
const B = { barcode: '5449000000996', sku: 'SKU-2210', quantity: 2, price_cents: 100 };

function scan(line: typeof A, action: 'add' | 'remove' = 'add', scanSeq = 1): ScanView {
  return {
    deviceId: 'CART-1',
    counter: scanSeq,
    scanSeq,
    action,
    barcode: line.barcode,
    sku: line.sku,
    quantity: line.quantity,
    priceCents: line.price_cents,
    weightCheck: 'match',
    scannedAt: '2026-11-23T09:00:00.000Z',
  };
}

describe('checkBasket', () => {
  it('finds nothing when lines, total and the net of the scans agree', () => {
    const scans = [scan(A, 'add', 1), scan(B, 'add', 2), scan(A, 'add', 3), scan(A, 'remove', 4)];
    assert.equal(checkBasket({ contents: [A, B], totalCents: 449 }, scans), undefined);
  });

  it("says total-mismatch when the end's total is not the sum of its lines", () => {
    assert.equal(checkBasket({ contents: [A], totalCents: 250 }, [scan(A)]), 'total-mismatch');
  });

  it('says basket-mismatch for a line never scanned, or a scan missing from the lines', () => {
    assert.equal(checkBasket({ contents: [A, B], totalCents: 449 }, [scan(A)]), 'basket-mismatch');
    assert.equal(
      checkBasket({ contents: [A], totalCents: 249 }, [scan(A), scan(B, 'add', 2)]),
      'basket-mismatch',
    );
  });

  it('says basket-mismatch when the quantities agree but the scanned prices do not', () => {
    const cheaper = { ...scan(A), priceCents: 199 };
    assert.equal(checkBasket({ contents: [A], totalCents: 249 }, [cheaper]), 'basket-mismatch');
  });
});
