import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalJson as platformCanonicalJson } from '../../../src/checkout/canonical-json.js';
import { buildReceipt, ReceiptSigner } from '../../../src/checkout/receipts.js';
import { canonicalJson } from './canonical-json.js';
import { verifyReceipt } from './verify-receipt.js';

function signedByThePlatform() {
  const signer = ReceiptSigner.fromSeed(randomBytes(32));
  const receipt = buildReceipt(
    {
      sessionId: 'e0c7a1d2-3b4c-4d5e-9f60-718293a4b5c6',
      deviceId: 'CART-0042',
      storeId: 'berlin-1',
      counter: 1090,
      status: 'complete',
      accountId: '9b2f8c1e-7d4a-4e6b-8a3c-2f1e0d9c8b7a',
      endedAt: '2026-11-23T09:40:00.000Z',
      itemCount: 3,
      totalCents: 747,
      currency: 'EUR',
      contents: [
        { barcode: '4006381333931', sku: 'SKU-1029', quantity: 1, price_cents: 249 },
        { barcode: '5449000000996', quantity: 2, price_cents: 249 },
        { barcode: '2000000000015', sku: 'Bröt-é', quantity: 1 },
      ],
      weightMismatches: 0,
      payment: {
        method: 'store-terminal',
        status: 'authorized',
        amountCents: 747,
        authToken: 'auth_7Hq2LmX9pR4t',
      },
    },
    { paidCents: 747, paymentRef: 'pay_0123456789abcdef' },
    Date.parse('2026-11-23T09:41:00.412Z'),
  );
  // As the page gets it: JSON over HTTP, parsed.
  const doc = JSON.parse(JSON.stringify(signer.sign(receipt))) as Record<string, unknown>;
  return { doc, pem: signer.publicKeyPem() };
}

describe('receipt verification in the page', () => {
  it('writes the same canonical JSON as the platform', () => {
    const value = {
      z: 1,
      a: [{ b: 'é', a: null, u: undefined }, true],
      B: 'x',
      é: -0,
      n: 12345678901,
    };
    assert.equal(canonicalJson(value), platformCanonicalJson(value));
    assert.throws(() => canonicalJson({ x: Number.NaN }), TypeError);
  });

  it('verifies a receipt the platform signed, with its PEM public key', async () => {
    const { doc, pem } = signedByThePlatform();
    assert.equal(await verifyReceipt(doc, pem), 'verified');
  });

  it('does not verify a changed receipt, a changed signature or another key', async () => {
    const { doc, pem } = signedByThePlatform();
    const receipt = doc['receipt'] as Record<string, unknown>;
    assert.equal(
      await verifyReceipt({ ...doc, receipt: { ...receipt, paid_cents: 1 } }, pem),
      'invalid',
    );
    const signature = doc['signature'] as string;
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    assert.equal(await verifyReceipt({ ...doc, signature: flipped }, pem), 'invalid');
    assert.equal(await verifyReceipt(doc, signedByThePlatform().pem), 'invalid');
    assert.equal(await verifyReceipt({ receipt }, pem), 'invalid');
    assert.equal(await verifyReceipt(null, pem), 'invalid');
    assert.equal(await verifyReceipt(doc, 'not a key'), 'invalid');
  });
});
