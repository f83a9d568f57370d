import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalJson } from './canonical-json.js';
import {
  buildReceipt,
  RECEIPT_SIGNING_KEY,
  receiptBlobKey,
  receiptId,
  ReceiptSigner,
  verifyReceipt,
  type SignedReceipt,
} from './receipts.js';

const SESSION = 'e0c7a1d2-3b4c-4d5e-9f60-718293a4b5c6';

function receipt() {
  return buildReceipt(
    {
      sessionId: SESSION,
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
        { barcode: '5449000000996', sku: 'SKU-2210', quantity: 2, price_cents: 249 },
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
}

describe('signed receipts', () => {
  it('verifies with the public key, also as PEM, and not with another key', () => {
    const signer = ReceiptSigner.fromSeed(randomBytes(32));
    const signed = signer.sign(receipt());
    assert.equal(verifyReceipt(signed, signer.publicKey), true);
    assert.equal(verifyReceipt(signed, signer.publicKeyPem()), true);
    const roundTripped = JSON.parse(JSON.stringify(signed)) as SignedReceipt;
    assert.equal(verifyReceipt(roundTripped, signer.publicKeyPem()), true, 'after storage');
    const other = generateKeyPairSync('ed25519').publicKey;
    assert.equal(verifyReceipt(signed, other), false);
  });

  it('fails when the receipt or the signature is tampered with', () => {
    const signer = ReceiptSigner.fromSeed(randomBytes(32));
    const signed = signer.sign(receipt());
    const tampered = (change: (r: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(signed)) as { receipt: Record<string, unknown> };
      change(copy.receipt);
      return copy;
    };
    assert.equal(
      verifyReceipt(
        tampered((r) => (r['paid_cents'] = 1)),
        signer.publicKey,
      ),
      false,
    );
    assert.equal(
      verifyReceipt(
        tampered((r) => (r['lines'] = [])),
        signer.publicKey,
      ),
      false,
    );
    assert.equal(
      verifyReceipt(
        tampered((r) => (r['customer'] = null)),
        signer.publicKey,
      ),
      false,
    );
    const flipped = Buffer.from(signed.signature, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    assert.equal(
      verifyReceipt({ ...signed, signature: flipped.toString('base64url') }, signer.publicKey),
      false,
    );
    for (const junk of [null, 'x', {}, { receipt: 1, signature: 'a' }, { receipt: {} }]) {
      assert.equal(verifyReceipt(junk, signer.publicKey), false);
    }
  });

  it('derives the same key from the same data key, and names it by its public key', async () => {
    const seed = randomBytes(32);
    const asked: string[] = [];
    const keys = {
      dataKey: async (name: string) => {
        asked.push(name);
        return seed;
      },
    };
    const a = await ReceiptSigner.fromKeys(keys);
    const b = await ReceiptSigner.fromKeys(keys);
    assert.deepEqual(asked, [RECEIPT_SIGNING_KEY, RECEIPT_SIGNING_KEY]);
    assert.equal(a.keyId, b.keyId);
    assert.match(a.keyId, /^receipts-[0-9a-f]{16}$/);
    assert.equal(verifyReceipt(a.sign(receipt()), b.publicKey), true);
    assert.notEqual(ReceiptSigner.fromSeed(randomBytes(32)).keyId, a.keyId);
  });

  it('names a receipt after its session, the same every time, and stores it by store', () => {
    assert.equal(receiptId(SESSION), receiptId(SESSION));
    assert.match(receiptId(SESSION), /^rcpt_[a-f0-9]{32}$/);
    assert.notEqual(receiptId(SESSION), receiptId('e0c7a1d2-3b4c-4d5e-9f60-718293a4b5c7'));
    assert.equal(receiptBlobKey('berlin-1', SESSION), `receipts/berlin-1/${SESSION}.json`);
    assert.equal(receipt().receipt_id, receiptId(SESSION));
  });

  it('carries the customer id, lines and payment reference, and no token', () => {
    const text = JSON.stringify(receipt());
    assert.equal(receipt().customer, '9b2f8c1e-7d4a-4e6b-8a3c-2f1e0d9c8b7a');
    assert.equal(receipt().payment_ref, 'pay_0123456789abcdef');
    assert.equal(receipt().lines.length, 2);
    assert.doesNotMatch(text, /auth_7Hq2LmX9pR4t|auth_token|loyalty|payment_token/);
  });

  it('serialises canonically: sorted keys at every depth, no whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: [{ d: 'x', c: null }], e: undefined }),
      '{"a":[{"c":null,"d":"x"}],"b":1}',
    );
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
    assert.throws(() => canonicalJson({ a: Number.NaN }));
  });
});
