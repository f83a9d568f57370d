import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { shoppingTrip, TestDevice } from '../../../../test-support/entity-events.js';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { ThreadedEntityStore } from './threaded-entity-store.js';

describe('ThreadedEntityStore', () => {
  it('finds and deletes sessions past retention across the thread', async (t) => {
    const store = await ThreadedEntityStore.open({ dataDir: await tempDir(t, 'threaded-') });
    t.after(() => store.close());
    const trip = shoppingTrip(new TestDevice('CART-1'), { scans: 1 });
    await store.project(trip.events);
    const cutoff = '2040-01-01T00:00:00.000Z';
    assert.deepEqual(await store.accountDataDue(cutoff), { sessions: 1, receipts: 0, accounts: 0 });
    const due = await store.listExpiredSessions(cutoff, 10);
    assert.equal(await store.deleteSessions(due.map((s) => s.sessionId)), 1);
    assert.deepEqual(await store.listExpiredAccounts(cutoff, 10), []);
    assert.equal(await store.deleteAccounts([]), 0);
    assert.equal(await store.getSession(trip.sessionId), undefined);
  });

  it('runs the entity store in a worker thread with the same answers', async (t) => {
    const store = await ThreadedEntityStore.open({ dataDir: await tempDir(t, 'threaded-') });
    t.after(() => store.close());
    const cart = new TestDevice('CART-1');
    await store.upsertStore({ storeId: 'store-1', name: 'One', region: 'eu', timezone: null });
    await store.project([cart.event('health', { battery_pct: 61 })]);
    await store.project([cart.event('health', { battery_pct: 60 })]);
    const device = await store.getDevice('CART-1');
    assert.equal(device?.batteryPct, 60);
    assert.equal(await store.getDevice('CART-404'), undefined);
    assert.equal((await store.listStoreDevices('store-1')).length, 1);
    const trip = shoppingTrip(cart, { identify: true });
    assert.deepEqual(await store.project(trip.events), { merges: [] });
    const page = await store.listStoreSessions('store-1', { limit: 5 });
    assert.deepEqual(
      page.sessions.map((s) => s.sessionId),
      [trip.sessionId],
    );
    assert.equal((await store.getSessionLink(trip.sessionId))?.deviceId, 'CART-1');
    assert.deepEqual(await store.listTopCatalogItems('store-1', { since: 0, limit: 5 }), []);
    const flag = await store.setMaintenance('CART-1', {
      reason: 'charging',
      note: null,
      setBy: 'staff:a',
      at: Date.now(),
    });
    assert.equal(flag?.desiredVersion, 1);
    const carts = await store.listCarts({ limit: 5 });
    assert.deepEqual(carts.carts[0]?.maintenance, flag);
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAA';
    assert.equal(
      await store.acceptProximityNonce('CART-1', nonce, Date.now() + 1000, Date.now()),
      true,
    );
    assert.equal(
      await store.acceptProximityNonce('CART-1', nonce, Date.now() + 1000, Date.now()),
      false,
    );
    assert.equal((await store.getSessionEnd(trip.sessionId))?.status, 'complete');
    assert.equal((await store.listSessionWeightMismatches(trip.sessionId)).length, 1);
    const checkout = await store.recordCheckout({
      sessionId: trip.sessionId,
      deviceId: 'CART-1',
      storeId: 'store-1',
      counter: 1,
      outcome: 'not-paid',
      paidCents: 0,
      paymentRef: null,
      receiptId: null,
      reason: 'payment-deferred',
      reconciledAt: new Date(0).toISOString(),
      retryAt: null,
    });
    assert.deepEqual(await store.getCheckout({ sessionId: trip.sessionId }), checkout);
    assert.deepEqual(
      await store.listCheckoutWork({ due: 0, endedAfter: 0, endedBefore: 0, limit: 5 }),
      [],
    );
    const alert = { storeId: 'store-1', deviceId: 'CART-1', sessionId: trip.sessionId };
    const at = { counter: 1, kind: 'weight-mismatch', at: 0, evidence: {} } as const;
    const raised = await store.recordAlert({ ...alert, ...at });
    assert.equal(raised?.state, 'open');
    assert.equal((await store.listStoreAlerts('store-1', { limit: 5 })).alerts.length, 1);
    const acked = await store.transitionAlert(raised.id, { to: 'acknowledged', by: 'x:y', at: 1 });
    assert.ok(acked.ok);
    assert.deepEqual(await store.getAlert(raised.id), acked.alert);
  });

  it('passes every console record method through the thread', async (t) => {
    const store = await ThreadedEntityStore.open({ dataDir: await tempDir(t, 'threaded-') });
    t.after(() => store.close());
    await store.migrate();
    const at = Date.now();
    const person = { personId: randomUUID(), role: 'ops', storeId: null, name: 'Ops' } as const;
    const passkey = { credentialId: 'cred-1', publicKey: 'pk', counter: 0, transports: [] };
    const enrolled = await store.enrolPasskey({
      linkJti: 'jti-1',
      linkExpiresAt: at + 60_000,
      at,
      person: { ...person, subject: 'ops-1' },
      passkey,
    });
    assert.ok(enrolled.enrolled);
    assert.equal(await store.isLinkUsed('jti-1'), true);
    const handle = { role: 'ops', storeId: null, subject: 'ops-1' } as const;
    assert.equal((await store.findPerson(handle))?.personId, person.personId);
    assert.equal((await store.getPasskey('cred-1'))?.personId, person.personId);
    assert.equal((await store.listPasskeys(person.personId)).length, 1);
    assert.equal(await store.recordPasskeyUse('cred-1', 1, at), true);
    const idHash = 'f'.repeat(64);
    const session = { idHash, personId: person.personId, csrfToken: 'c', at, freshUntil: null };
    await store.openConsoleSession({ ...session, expiresAt: at + 60_000 });
    await store.touchConsoleSession(idHash, at + 1);
    assert.equal(await store.markConsoleSessionFresh(idHash, at + 10), true);
    assert.equal((await store.getConsoleSession(idHash))?.freshUntil, at + 10);
    assert.equal(await store.endConsoleSession(idHash), true);
  });

  it('carries failure codes across the thread boundary', async (t) => {
    await assert.rejects(
      ThreadedEntityStore.open({ dataDir: await tempDir(t, 'threaded-'), url: 'mysql://nope' }),
      { code: 'invalid-entity-url' },
    );
  });
});
