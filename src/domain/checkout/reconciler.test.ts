import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { text as readText } from 'node:stream/consumers';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { checkoutTrip } from '../../../test-support/checkout-trip.js';
import { TestDevice, T0 } from '../../../test-support/entity-events.js';
import { FakePaymentGateway } from '../../../test-support/fake-payment-gateway.js';
import { filePgliteStore } from '../../../test-support/pglite-store.js';
import { DirectoryBlobStore } from '../../stores/blobs/directory-blob-store.js';
import { validateDocument, type CheckoutResult } from '../../contract/index.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { PlatformMetrics } from '../../shared/observability/metrics.js';
import { Reconciler } from './reconciler.js';
import { ReceiptSigner, Receipts, verifyReceipt } from './receipts.js';

const entityStore = filePgliteStore();
let devices = 0;

async function harness(t: TestContext, options: { gateway?: FakePaymentGateway | null } = {}) {
  const entities = await entityStore();
  const blobDir = await mkdtemp(join(tmpdir(), 'fleetplane-receipts-'));
  t.after(() => rm(blobDir, { recursive: true, force: true }));
  const blobs = new DirectoryBlobStore(blobDir);
  const receipts = new Receipts(blobs, ReceiptSigner.fromSeed(randomBytes(32)));
  const gateway =
    options.gateway === null ? undefined : (options.gateway ?? new FakePaymentGateway());
  const clock = { now: T0 + 3_600_000 };
  const reconciler = new Reconciler({
    entities,
    receipts,
    ...(gateway ? { gateway } : {}),
    metrics: new PlatformMetrics(),
    log: silentLogger(),
    now: () => clock.now,
    retryBaseMs: 10_000,
  });
  const cart = new TestDevice(`CART-R${++devices}`);
  return { entities, blobs, receipts, gateway, clock, reconciler, cart };
}

function assertValid(result: CheckoutResult): void {
  const checked = validateDocument('checkout-result', result);
  assert.ok(checked.ok, checked.ok ? '' : checked.detail);
}

describe('Reconciler', () => {
  it('captures the authorization, signs a receipt and answers paid', async (t) => {
    const { entities, receipts, gateway, reconciler, cart } = await harness(t);
    const trip = checkoutTrip(cart);
    await entities.project(trip.events);
    const result = await reconciler.reconcile(trip.sessionId);
    assertValid(result);
    assert.equal(result.outcome, 'paid');
    assert.equal(result.paid_cents, trip.totalCents);
    assert.equal(result.counter, trip.end.counter);
    assert.equal(result.reason, undefined, 'the basket matches its scans');
    assert.match(result.receipt_id ?? '', /^rcpt_[a-f0-9]{32}$/);
    assert.deepEqual(gateway!.calls, [
      {
        sessionId: trip.sessionId,
        authToken: 'auth_7Hq2LmX9pR4t',
        amountCents: trip.totalCents,
        currency: 'EUR',
      },
    ]);
    const stored = await entities.getCheckout({ sessionId: trip.sessionId });
    assert.equal(stored?.paymentRef?.startsWith('pay_'), true);
    assert.equal(stored?.receiptId, result.receipt_id);
    const receipt = await receipts.read(cart.storeId, trip.sessionId);
    assert.ok(receipt && verifyReceipt(receipt, receipts.signer.publicKey));
    assert.equal(receipt.receipt.receipt_id, result.receipt_id);
    assert.equal(receipt.receipt.paid_cents, trip.totalCents);
    assert.equal(receipt.receipt.payment_ref, stored?.paymentRef);
  });

  it('answers declined when the payment service declines, with no receipt', async (t) => {
    const { entities, blobs, reconciler, cart } = await harness(t);
    const trip = checkoutTrip(cart, { payment: { auth_token: 'decl_0000000001' } });
    await entities.project(trip.events);
    const result = await reconciler.reconcile(trip.sessionId);
    assertValid(result);
    assert.equal(result.outcome, 'declined');
    assert.equal(result.paid_cents, 0);
    assert.equal(result.receipt_id, undefined);
    assert.deepEqual(await blobs.list('receipts/'), []);
  });

  it('answers amount-mismatch when less than the total was captured', async (t) => {
    const { entities, reconciler, cart } = await harness(t);
    const trip = checkoutTrip(cart, { payment: { auth_token: 'tok_amt500' } });
    await entities.project(trip.events);
    const result = await reconciler.reconcile(trip.sessionId);
    assertValid(result);
    assert.equal(result.outcome, 'amount-mismatch');
    assert.equal(result.paid_cents, 500);
    assert.equal(result.reason, 'authorised-less');
    assert.equal(result.receipt_id, undefined);

    const short = checkoutTrip(cart, { payment: { amount_cents: 100 } });
    await entities.project(short.events);
    const asked = await reconciler.reconcile(short.sessionId);
    assert.equal(asked.outcome, 'amount-mismatch');
    assert.equal(asked.paid_cents, 100);
    assert.equal(asked.reason, 'payment-amount-differs');
  });

  it('notes a basket that differs from the scans, and still takes the payment', async (t) => {
    const { entities, reconciler, cart } = await harness(t);
    const trip = checkoutTrip(cart, {
      unscanned: [{ barcode: '4000000000017', sku: 'SKU-A', quantity: 1, price_cents: 199 }],
    });
    await entities.project(trip.events);
    const result = await reconciler.reconcile(trip.sessionId);
    assert.equal(result.outcome, 'paid');
    assert.equal(result.paid_cents, trip.totalCents);
    assert.equal(result.reason, 'basket-mismatch');
  });

  it('answers not-paid, saying why, for a deferred, declined or missing payment', async (t) => {
    const { entities, gateway, reconciler, cart } = await harness(t);
    for (const status of ['deferred', 'declined', 'not-attempted'] as const) {
      const trip = checkoutTrip(cart, { payment: { status } });
      await entities.project(trip.events);
      const result = await reconciler.reconcile(trip.sessionId);
      assertValid(result);
      assert.equal(result.outcome, 'not-paid', status);
      assert.equal(result.reason, `payment-${status}`);
      assert.equal(result.paid_cents, 0);
    }
    assert.equal(gateway!.calls.length, 0, 'nothing to capture');
  });

  it('records payment-unavailable with a retry time, then a retry answers paid', async (t) => {
    const { entities, gateway, clock, reconciler, cart } = await harness(t);
    const trip = checkoutTrip(cart);
    await entities.project(trip.events);
    gateway!.available = false;
    const first = await reconciler.reconcile(trip.sessionId);
    assertValid(first);
    assert.equal(first.outcome, 'payment-unavailable');
    assert.equal(first.reason, 'payment-service-down');
    assert.equal(first.paid_cents, undefined);
    const waiting = await entities.getCheckout({ sessionId: trip.sessionId });
    assert.equal(waiting?.retryAt, new Date(clock.now + 10_000).toISOString());

    clock.now += 5_000;
    const again = await reconciler.reconcile(trip.sessionId);
    assert.equal(again.outcome, 'payment-unavailable');
    const backedOff = await entities.getCheckout({ sessionId: trip.sessionId });
    assert.equal(backedOff?.attempts, 2);
    assert.equal(backedOff?.retryAt, new Date(clock.now + 20_000).toISOString(), 'doubles');
    const work = await entities.listCheckoutWork({
      due: clock.now + 20_000,
      endedAfter: T0,
      endedBefore: T0,
      limit: 100,
    });
    assert.ok(work.includes(trip.sessionId), 'the retry loop finds it when due');

    gateway!.available = true;
    clock.now += 20_000;
    const paid = await reconciler.reconcile(trip.sessionId);
    assert.equal(paid.outcome, 'paid');
    assert.ok(paid.receipt_id);
    assert.equal((await entities.getCheckout({ sessionId: trip.sessionId }))?.attempts, 3);
  });

  it('waits as payment-unavailable without a payment gateway', async (t) => {
    const { entities, reconciler, cart } = await harness(t, { gateway: null });
    const trip = checkoutTrip(cart);
    await entities.project(trip.events);
    const result = await reconciler.reconcile(trip.sessionId);
    assert.equal(result.outcome, 'payment-unavailable');
    assert.equal(result.reason, 'no-payment-service');
  });

  it('answers a second reconciliation from the stored result, without a second capture', async (t) => {
    const { entities, gateway, clock, reconciler, cart } = await harness(t);
    const trip = checkoutTrip(cart);
    await entities.project(trip.events);
    const [a, b] = await Promise.all([
      reconciler.reconcile(trip.sessionId),
      reconciler.reconcile(trip.sessionId),
    ]);
    assert.deepEqual(a, b, 'concurrent calls share one run');
    clock.now += 60_000;
    const later = await reconciler.reconcile(trip.sessionId);
    assert.deepEqual(later, a, 'the same answer, reconciled_at included');
    assert.equal(gateway!.capturesFor(trip.sessionId), 1);

    await assert.rejects(reconciler.reconcile(checkoutTrip(cart).sessionId), {
      code: 'session-not-ended',
    });
  });

  it("puts the account's random id on the receipt and no token or credential", async (t) => {
    const { entities, blobs, reconciler, cart } = await harness(t);
    const trip = checkoutTrip(cart);
    const identify = cart.event('identify', { session_id: trip.sessionId });
    await entities.project([...trip.events, identify]);
    const { customerId: account } = await entities.createAccount({
      kind: 'member',
      region: 'us',
      homeStoreId: cart.storeId,
    });
    assert.equal((await entities.attachAccount(trip.sessionId, account)).attached, true);
    const result = await reconciler.reconcile(trip.sessionId);
    const [key] = await blobs.list(`receipts/${cart.storeId}/`);
    assert.equal(key, `receipts/${cart.storeId}/${trip.sessionId}.json`);
    const text = await readText((await blobs.get(key!))!);
    const doc = JSON.parse(text) as { receipt: Record<string, unknown> };
    assert.equal(doc.receipt['customer'], account);
    assert.equal(doc.receipt['receipt_id'], result.receipt_id);
    assert.deepEqual(Object.keys(doc.receipt).sort(), [
      'currency',
      'customer',
      'device_id',
      'issued_at',
      'lines',
      'paid_cents',
      'payment_ref',
      'receipt_id',
      'session_id',
      'store_id',
      'total_cents',
    ]);
    assert.doesNotMatch(text, /auth_7Hq2LmX9pR4t/, 'no terminal auth token');
    if (identify.message.type === 'identify') {
      assert.ok(!text.includes(identify.message.credential.ct), 'no sealed credential');
    }
    assert.doesNotMatch(text, /loyalty|payment_token|auth_token|email|name/i);
  });
});
