import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { shoppingTrip, TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore } from './entity-store.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Account data past retention (decision 063), run by entity-store.contract.ts. */
export function retentionContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('finds and deletes sessions whose account ended, or that had none, with what hangs off them', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const anonymous = shoppingTrip(cart, { scans: 2 });
    const open1 = shoppingTrip(cart, { scans: 2 });
    const erased = shoppingTrip(cart, { scans: 2 });
    await store.project([...anonymous.events, ...open1.events, ...erased.events]);
    const live = await store.createAccount({ kind: 'member', region: 'eu' });
    const gone = await store.createAccount({ kind: 'app-user', region: 'us' });
    assert.equal((await store.attachAccount(open1.sessionId, live.customerId)).attached, true);
    assert.equal((await store.attachAccount(erased.sessionId, gone.customerId)).attached, true);
    await store.forgetAccount(gone.customerId, T0 + HOUR);
    await store.recordCheckout({
      sessionId: anonymous.sessionId,
      deviceId: 'CART-1',
      storeId: 'store-1',
      counter: 99,
      outcome: 'paid',
      paidCents: anonymous.totalCents,
      paymentRef: 'pay_1',
      receiptId: 'rcpt_1',
      reason: null,
      reconciledAt: iso(T0),
      retryAt: null,
    });

    assert.deepEqual(await store.accountDataDue(iso(T0)), {
      sessions: 0,
      receipts: 0,
      accounts: 0,
    });
    const cutoff = iso(T0 + 2 * HOUR);
    assert.deepEqual(await store.accountDataDue(cutoff), { sessions: 2, receipts: 1, accounts: 1 });
    const due = await store.listExpiredSessions(cutoff, 10);
    assert.deepEqual(
      due.map((s) => s.sessionId).sort(),
      [anonymous.sessionId, erased.sessionId].sort(),
      'a session of an open account stays however old',
    );
    assert.equal(due.find((s) => s.sessionId === anonymous.sessionId)?.receiptId, 'rcpt_1');
    assert.equal(due[0]?.storeId, 'store-1');
    assert.equal(await store.deleteSessions(due.map((s) => s.sessionId)), 2);
    assert.equal(await store.getSession(anonymous.sessionId), undefined);
    assert.deepEqual(await store.listSessionScans(anonymous.sessionId), []);
    assert.equal(await store.getCheckout({ sessionId: anonymous.sessionId }), undefined);
    assert.equal((await store.getSession(open1.sessionId))?.sessionId, open1.sessionId);
    assert.equal((await store.listSessionScans(open1.sessionId)).length, 3);

    assert.deepEqual(await store.listExpiredAccounts(cutoff, 10), [
      { customerId: gone.customerId, region: 'us' },
    ]);
    assert.equal(
      await store.deleteAccounts([gone.customerId, live.customerId]),
      1,
      'not an open one',
    );
    assert.equal(await store.getAccount(gone.customerId), undefined);
    assert.ok(await store.getAccount(live.customerId));
    assert.deepEqual(await store.accountDataDue(cutoff), { sessions: 0, receipts: 0, accounts: 0 });
    assert.equal(await store.deleteSessions([]), 0);
  });
}
