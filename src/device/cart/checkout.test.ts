import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { DeviceMessage } from '../../contract/index.js';
import { SHELF, testCart, until } from '../../../test-support/test-cart.js';
import type { CartRejection } from './fleet-cart.js';

const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };
const CARD = { kind: 'payment', cardId: 'card-checkout-1' } as const;

/** A cart with a two-item basket, and what its observer saw. */
async function shopped(t: TestContext) {
  const created: DeviceMessage[] = [];
  const delivered: DeviceMessage[] = [];
  const rejected: CartRejection[] = [];
  const lost: DeviceMessage[] = [];
  const tc = await testCart(t, {
    timing: CALM,
    observer: {
      created: (m) => created.push(m),
      delivered: (m) => delivered.push(m),
      rejected: (r) => rejected.push(r),
      lost: (m) => lost.push(m),
    },
  });
  await tc.cart.powerOn();
  await tc.cart.startAsGuest();
  for (const product of SHELF.products.slice(0, 2)) {
    for (let i = 0; i < 20 && !(await tc.cart.scanItem(product)).ok; i++);
  }
  return { ...tc, created, delivered, rejected, lost };
}

/** Some real time for anything that would retry. */
const settle = () => new Promise((r) => setTimeout(r, 100));

describe('checkout over the device API', () => {
  it('posts the signed session-end and shows the receipt from the same round trip, nothing over MQTT', async (t) => {
    const { cart, broker, api, created, delivered } = await shopped(t);
    const total = cart.view.totalCents;
    const outcome = await cart.checkout(CARD);
    assert.equal(outcome.status, 'authorized');
    assert.equal(outcome.delivery, 'checkout');
    assert.equal(outcome.result?.outcome, 'paid');
    assert.equal(outcome.result?.paid_cents, total);
    assert.equal(cart.view.screen, 'receipt');
    assert.equal(cart.view.receiptId, outcome.result?.receipt_id);
    assert.match(cart.view.receiptId ?? '', /^rcpt_[a-f0-9]{32}$/);

    // Exactly the frame it would publish: signed (the fake verifies), the message it created.
    assert.equal(api.posts.length, 1);
    const end = created.find((m) => m.type === 'session-end');
    assert.deepEqual(api.posts[0]?.message, end);
    assert.deepEqual(api.accepted, [end]);
    assert.ok(delivered.includes(end!), 'observers hear it was delivered');
    await cart.flush(2000);
    await settle();
    assert.equal(broker.of('session-end').length, 0, 'not sent a second time over MQTT');
    assert.equal(cart.buffered, 0);
  });

  it('sends the customer to staff when the platform declines or the amount does not match', async (t) => {
    for (const outcome of ['declined', 'amount-mismatch'] as const) {
      const { cart, api } = await shopped(t);
      api.outcome = outcome;
      const paid = await cart.checkout(CARD);
      assert.equal(paid.result?.outcome, outcome);
      assert.ok(cart.view.warnings.includes('see-staff'), outcome);
      assert.equal(cart.view.receiptId, undefined);
    }
  });

  it('takes payment-unavailable as delivered: thanks the customer and sends nothing again', async (t) => {
    const { cart, broker, api } = await shopped(t);
    api.outcome = 'payment-unavailable';
    const paid = await cart.checkout(CARD);
    assert.equal(paid.delivery, 'checkout');
    assert.equal(cart.view.screen, 'thank-you');
    await cart.flush(2000);
    await settle();
    assert.equal(broker.of('session-end').length, 0);
    assert.equal(api.posts.length, 1);
  });

  it('counts and logs a 400 like an error-topic rejection and does not send it again', async (t) => {
    const { cart, broker, api, rejected, warnings, created } = await shopped(t);
    api.checkoutFailure = { error: 'schema', message: '/payment/amount_cents must be >= 0' };
    const paid = await cart.checkout(CARD);
    assert.equal(paid.status, 'authorized');
    assert.equal(paid.delivery, 'rejected');
    const end = created.find((m) => m.type === 'session-end')!;
    assert.deepEqual(rejected, [
      {
        reason: 'schema',
        counter: end.counter,
        message_type: 'session-end',
        detail: '/payment/amount_cents must be >= 0',
        via: 'device-api',
      },
    ]);
    assert.deepEqual(cart.rejections, { total: 1, byReason: { schema: 1 } });
    assert.equal(cart.view.rejected, 1);
    assert.ok(warnings.some((w) => w.fields['via'] === 'device-api'));
    assert.ok(cart.view.warnings.includes('see-staff'));
    await cart.flush(2000);
    await settle();
    assert.equal(api.posts.length, 1, 'not retried');
    assert.equal(broker.of('session-end').length, 0, 'nor sent over MQTT');
  });

  it('falls back to MQTT exactly once on a network failure or a 5xx', async (t) => {
    for (const failure of ['network', 'server-error'] as const) {
      const { cart, broker, api, created, delivered } = await shopped(t);
      api.checkoutFailure = failure;
      const paid = await cart.checkout(CARD);
      assert.equal(paid.status, 'authorized', failure);
      assert.equal(paid.delivery, 'queued');
      assert.ok(await cart.flush(2000));
      await settle();
      const end = created.find((m) => m.type === 'session-end')!;
      assert.equal(api.posts.length, 1, 'one attempt over HTTPS');
      assert.equal(api.accepted.length, 0);
      assert.deepEqual(broker.of('session-end'), [end], 'then the same message over MQTT, once');
      assert.equal(delivered.filter((m) => m === end).length, 1);
      assert.equal(broker.of('session-end')[0]?.payment.status, 'authorized');
    }
  });

  it('after a lost answer sends the same frame over MQTT, which the cloud deduplicates on the counter', async (t) => {
    const { cart, broker, api } = await shopped(t);
    api.checkoutFailure = 'lost-answer';
    const paid = await cart.checkout(CARD);
    assert.equal(paid.delivery, 'queued');
    await cart.flush(2000);
    const [stored] = api.accepted;
    const [copy] = broker.of('session-end');
    assert.ok(stored && copy);
    assert.deepEqual(copy, stored, 'same counter, same body: one session-end to the cloud');
  });

  it('loses a paid session-end whose post failed after a power loss, and says so, rather than queue it', async (t) => {
    const { cart, broker, api, lost } = await shopped(t);
    let release!: () => void;
    api.checkoutGate = new Promise((r) => (release = r));
    api.checkoutFailure = 'network';
    const paying = cart.checkout(CARD);
    await until(() => api.posts.length === 1, 'the post in flight');
    await cart.reboot();
    release();
    const paid = await paying;
    assert.equal(paid.status, 'authorized');
    await cart.flush(2000);
    await settle();
    assert.equal(paid.delivery, 'lost');
    assert.equal(broker.of('session-end').length, 0, 'RAM went with the power');
    assert.deepEqual(
      lost.map((m) => m.type),
      ['session-end'],
      'observers hear of the loss',
    );
  });

  it('leaves the other session-ends on MQTT, and pays offline at the store terminal', async (t) => {
    const { cart, broker, api } = await shopped(t);
    const sessionId = cart.sessionId;
    broker.command('cancel-session', { session_id: sessionId });
    await until(() => broker.of('session-end').length === 1, 'voided over MQTT');
    assert.equal(broker.of('session-end')[0]?.status, 'voided');

    await cart.startAsGuest();
    for (let i = 0; i < 20 && !(await cart.scanItem(SHELF.products[3]!)).ok; i++);
    cart.faults.setWifi(false);
    cart.faults.setCellular(false);
    await until(() => cart.link === 'none', 'offline');
    assert.equal((await cart.checkout(CARD)).status, 'deferred');
    cart.faults.setWifi(true);
    await cart.flush(3000);
    assert.deepEqual(
      broker.of('session-end').map((m) => m.payment.status),
      ['not-attempted', 'deferred'],
    );
    assert.equal(api.posts.length, 0);
  });
});
