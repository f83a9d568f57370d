import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import { shoppingTrip, TestDevice, T0 } from '../../test-support/entity-events.js';
import type { CheckoutRecord, EntityStore, NewAlert } from './entity-store.js';

const MINUTE = 60_000;

function checkout(
  sessionId: string,
  fields: Partial<Omit<CheckoutRecord, 'attempts'>> = {},
): Omit<CheckoutRecord, 'attempts'> {
  return {
    sessionId,
    deviceId: 'CART-1',
    storeId: 'store-1',
    counter: 9,
    outcome: 'paid',
    paidCents: 500,
    paymentRef: 'pay_1',
    receiptId: `rcpt_${sessionId.replaceAll('-', '')}`,
    reason: null,
    reconciledAt: new Date(T0).toISOString(),
    retryAt: null,
    ...fields,
  };
}

/** Checkouts, the stored session-end and loss-prevention alerts (entity-store.contract.ts). */
export function checkoutContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('gives back a session-end as stored, payment and token included, only once it ended', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const trip = shoppingTrip(cart, { scans: 3 });
    const end = trip.events.find((e) => e.type === 'session-end')!;
    await store.project(trip.events.slice(0, 2));
    assert.equal(await store.getSessionEnd(trip.sessionId), undefined, 'still open');
    await store.project(trip.events);
    const stored = await store.getSessionEnd(trip.sessionId);
    assert.deepEqual(stored, {
      sessionId: trip.sessionId,
      deviceId: 'CART-1',
      storeId: 'store-1',
      counter: end.counter,
      status: 'complete',
      accountId: null,
      endedAt: new Date(end.deviceTime).toISOString(),
      itemCount: 2,
      totalCents: trip.totalCents,
      currency: 'EUR',
      contents: end.message.type === 'session-end' ? end.message.contents : [],
      weightMismatches: 0,
      payment: {
        method: 'store-terminal',
        status: 'authorized',
        amountCents: trip.totalCents,
        authToken: 'auth_7Hq2LmX9pR4t',
      },
    });

    const walkedOff = randomUUID();
    await store.project([
      cart.event('session-start', { session_id: walkedOff }),
      cart.event('session-end', {
        session_id: walkedOff,
        status: 'abandoned',
        payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
      }),
    ]);
    assert.deepEqual((await store.getSessionEnd(walkedOff))?.payment, {
      method: 'none',
      status: 'not-attempted',
      amountCents: 0,
      authToken: null,
    });
    assert.equal(await store.getSessionEnd('not-a-session'), undefined);
  });

  it("lists a session's weight mismatches with the measured weights", async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const trip = shoppingTrip(cart, { scans: 3 });
    await store.project(trip.events);
    const mismatches = await store.listSessionWeightMismatches(trip.sessionId);
    assert.equal(mismatches.length, 1);
    assert.equal(mismatches[0]?.scanSeq, 2);
    assert.equal(mismatches[0]?.sku, 'SKU-2');
    assert.equal(typeof mismatches[0]?.weightDeltaG, 'number');
    assert.deepEqual(await store.listSessionWeightMismatches(randomUUID()), []);
  });

  it('keeps the first final checkout, replaces one that waited for the payment service', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const trip = shoppingTrip(cart, { scans: 2 });
    await store.project(trip.events);
    const id = trip.sessionId;
    const later = new Date(T0 + MINUTE).toISOString();

    const waiting = await store.recordCheckout(
      checkout(id, {
        outcome: 'payment-unavailable',
        paidCents: null,
        paymentRef: null,
        receiptId: null,
        reason: 'payment-service-down',
        retryAt: later,
      }),
    );
    assert.equal(waiting.attempts, 1);
    assert.equal(waiting.retryAt, later);

    const paid = await store.recordCheckout(checkout(id));
    assert.equal(paid.outcome, 'paid');
    assert.equal(paid.attempts, 2);
    assert.equal(paid.retryAt, null);

    const again = await store.recordCheckout(
      checkout(id, { outcome: 'declined', paidCents: 0, receiptId: null, reconciledAt: later }),
    );
    assert.deepEqual(again, paid, 'a final outcome stands');
    assert.deepEqual(await store.getCheckout({ sessionId: id }), paid);
    assert.deepEqual(await store.getCheckout({ receiptId: paid.receiptId! }), paid);
    assert.equal(await store.getCheckout({ sessionId: randomUUID() }), undefined);
    assert.equal(await store.getCheckout({ receiptId: 'rcpt_none' }), undefined);
  });

  it('lists checkout work: retries that are due and complete sessions never reconciled', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const [due, notYet, reconciled, missed] = [1, 2, 3, 4].map(() => shoppingTrip(cart));
    const abandoned = randomUUID();
    await store.project([
      ...due!.events,
      ...notYet!.events,
      ...reconciled!.events,
      ...missed!.events,
      cart.event('session-start', { session_id: abandoned }),
      cart.event('session-end', {
        session_id: abandoned,
        status: 'abandoned',
        payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
      }),
    ]);
    const waiting = { outcome: 'payment-unavailable', paidCents: null, receiptId: null } as const;
    await store.recordCheckout(
      checkout(due!.sessionId, { ...waiting, retryAt: new Date(T0 + MINUTE).toISOString() }),
    );
    await store.recordCheckout(
      checkout(notYet!.sessionId, { ...waiting, retryAt: new Date(T0 + 9 * MINUTE).toISOString() }),
    );
    await store.recordCheckout(checkout(reconciled!.sessionId));

    const work = await store.listCheckoutWork({
      due: T0 + 2 * MINUTE,
      endedAfter: T0 - 60 * MINUTE,
      endedBefore: T0 + 60 * MINUTE,
      limit: 10,
    });
    assert.deepEqual(work.sort(), [due!.sessionId, missed!.sessionId].sort());
    const outside = await store.listCheckoutWork({
      due: T0,
      endedAfter: T0 + 60 * MINUTE,
      endedBefore: T0 + 120 * MINUTE,
      limit: 10,
    });
    assert.deepEqual(outside, []);
  });

  it('records an alert once per kind, session and event; pages a store newest first', async (t) => {
    const store = await open(t);
    if (!store) return;
    const session = randomUUID();
    const alert = (counter: number, kind: NewAlert['kind'], storeId = 'store-1'): NewAlert => ({
      storeId,
      deviceId: 'CART-1',
      sessionId: session,
      counter,
      kind,
      at: T0 + counter * MINUTE,
      evidence: { counter, weight_delta_g: -412 },
    });
    const raised = await store.recordAlert(alert(1, 'weight-mismatch'));
    assert.equal(raised?.state, 'open');
    assert.equal(raised?.kind, 'weight-mismatch');
    assert.equal(await store.recordAlert(alert(1, 'weight-mismatch')), undefined, 'replayed');
    assert.ok(await store.recordAlert(alert(1, 'exit-without-pay')), 'another kind');
    for (const counter of [2, 3, 4]) await store.recordAlert(alert(counter, 'weight-mismatch'));
    await store.recordAlert(alert(5, 'weight-mismatch', 'store-2'));

    const seen: string[] = [];
    let after;
    for (let pages = 0; pages < 5; pages++) {
      const page = await store.listStoreAlerts('store-1', {
        limit: 2,
        ...(after ? { after } : {}),
      });
      seen.push(...page.alerts.map((a) => `${a.kind}@${a.counter}`));
      if (!page.next) break;
      after = page.next;
    }
    assert.equal(seen.length, 5);
    assert.deepEqual(seen.slice(0, 3), [
      'weight-mismatch@4',
      'weight-mismatch@3',
      'weight-mismatch@2',
    ]);
    const exits = await store.listStoreAlerts('store-1', { limit: 10, kind: 'exit-without-pay' });
    assert.equal(exits.alerts.length, 1);
    assert.deepEqual(exits.alerts[0]?.evidence, { counter: 1, weight_delta_g: -412 });
    assert.equal(exits.alerts[0]?.sessionId, session);
    assert.equal(exits.alerts[0]?.at, new Date(T0 + MINUTE).toISOString());
    const recent = await store.listStoreAlerts('store-1', { limit: 10, since: T0 + 3 * MINUTE });
    assert.equal(recent.alerts.length, 2);
  });
}
