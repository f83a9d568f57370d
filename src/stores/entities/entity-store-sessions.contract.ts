import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import { shoppingTrip, shuffled, TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore, IngestedEvent } from './entity-store.js';

/**
 * The session, scan and payment half of the EntityStore contract (entity-store.contract.ts runs
 * it inside its own suite): what a shopping trip leaves behind, whatever the delivery order.
 */
export function sessionContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('records a whole shopping trip: session, scans, totals and payment', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const trip = shoppingTrip(cart, { scans: 6, identify: true });
    await store.project(trip.events);
    const session = await store.getSession(trip.sessionId);
    assert.equal(session?.status, 'complete');
    assert.equal(session?.deviceId, 'CART-1');
    assert.equal(session?.accountId, null);
    assert.equal(session?.identifyMethod, 'loyalty');
    assert.equal(session?.scanCount, 7);
    assert.equal(session?.subtotalCents, trip.totalCents);
    assert.equal(session?.totalCents, trip.totalCents);
    assert.equal(session?.scanMismatches, 1);
    assert.equal(session?.startedAt, new Date(T0 + 1000).toISOString());
    assert.deepEqual(session?.payment, {
      method: 'store-terminal',
      status: 'authorized',
      amountCents: trip.totalCents,
      currency: 'EUR',
      authReference: 'auth_7Hq2LmX9pR4t',
      decidedAt: session?.endedAt,
    });
    const scans = await store.listSessionScans(trip.sessionId);
    assert.deepEqual(
      scans.map((s) => [s.scanSeq, s.action]),
      [1, 2, 3, 4, 5, 6, 7].map((n) => [n, n === 7 ? 'remove' : 'add']),
    );
    const device = await store.getDevice('CART-1');
    assert.equal(device?.activeSessionId, null);
    assert.equal(device?.state, 'idle');
  });

  it('changes nothing when a batch is applied again', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const trip = shoppingTrip(cart, { identify: true });
    await store.project(trip.events);
    const before = await snapshot(store, 'CART-1', trip.sessionId);
    await store.project(trip.events);
    await store.project(trip.events.slice(3, 9));
    assert.deepEqual(await snapshot(store, 'CART-1', trip.sessionId), before);
  });

  it('ends in the same state whatever order and batching the events arrive in', async (t) => {
    const store = await open(t);
    if (!store) return;
    const inOrder = new TestDevice('CART-A');
    const trip = shoppingTrip(inOrder, { scans: 8, identify: true });
    await store.project(trip.events);
    const expected = await snapshot(store, 'CART-A', trip.sessionId);

    for (const seed of [1, 7, 42]) {
      const deviceId = `CART-S${seed}`;
      const sessionId = randomUUID();
      const events = trip.events.map((e) => retarget(e, deviceId, sessionId, trip.sessionId));
      const mixed = shuffled(events, seed);
      for (let i = 0; i < mixed.length; i += 4) await store.project(mixed.slice(i, i + 4));
      const got = await snapshot(store, deviceId, sessionId);
      assert.deepEqual(
        got,
        { ...expected, ...rename(expected, deviceId, sessionId) },
        `seed ${seed}`,
      );
    }
  });

  it('stores a scan once however often it is delivered', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const sessionId = randomUUID();
    const start = cart.event('session-start', { session_id: sessionId });
    const scan = cart.event('scan', { session_id: sessionId, price_cents: 250, quantity: 2 });
    await store.project([start, scan, scan]);
    await store.project([scan]);
    assert.equal((await store.listSessionScans(sessionId)).length, 1);
    const session = await store.getSession(sessionId);
    assert.equal(session?.scanCount, 1);
    assert.equal(session?.subtotalCents, 500);
  });

  it('keeps a scan that arrives before its session-start, and the session start time', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const sessionId = randomUUID();
    const start = cart.event('session-start', { session_id: sessionId });
    const scan = cart.event('scan', { session_id: sessionId });
    await store.project([scan]);
    assert.equal((await store.getSession(sessionId))?.status, 'active');
    await store.project([start]);
    const session = await store.getSession(sessionId);
    assert.equal(session?.startedAt, new Date(start.deviceTime).toISOString());
    assert.equal(session?.scanCount, 1);
    assert.equal((await store.getDevice('CART-1'))?.activeSessionId, sessionId);
  });

  it('treats an ended session as final: a late pause or start does not reopen it', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const sessionId = randomUUID();
    const start = cart.event('session-start', { session_id: sessionId });
    const paused = cart.event('health', { session_id: sessionId, state: 'paused' });
    const end = cart.event('session-end', {
      session_id: sessionId,
      status: 'abandoned',
      payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
    });
    await store.project([end]);
    await store.project([paused, start]);
    let session = await store.getSession(sessionId);
    assert.equal(session?.status, 'abandoned');
    assert.equal(session?.payment, null);
    assert.equal((await store.getDevice('CART-1'))?.activeSessionId, null);
    // Even a newer report that calls the session active does not bring it back.
    await store.project([cart.event('health', { session_id: sessionId, state: 'active' })]);
    session = await store.getSession(sessionId);
    assert.equal(session?.status, 'abandoned');
    assert.equal(session?.endedAt, new Date(end.deviceTime).toISOString());
  });

  it('moves an open session between active and paused by counter', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const sessionId = randomUUID();
    const start = cart.event('session-start', { session_id: sessionId });
    const paused = cart.event('health', { session_id: sessionId, state: 'paused' });
    const resumed = cart.event('session-start', { session_id: sessionId, reason: 'resume' });
    await store.project([start, resumed]);
    await store.project([paused]);
    assert.equal((await store.getSession(sessionId))?.status, 'active');
  });

  it('lets a session have no account, and links one later', async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    const guest = shoppingTrip(cart);
    await store.project(guest.events);
    assert.equal((await store.getSession(guest.sessionId))?.accountId, null);

    const { customerId } = await store.createAccount({
      kind: 'member',
      region: 'us',
      homeStoreId: 'store-1',
    });
    assert.match(customerId, /^[0-9a-f-]{36}$/);
    const attached = async (s: string, c: string) => (await store.attachAccount(s, c)).attached;
    assert.equal(await attached(guest.sessionId, customerId), true);
    assert.equal((await store.getSession(guest.sessionId))?.accountId, customerId);
    assert.equal(await attached(randomUUID(), customerId), false);
    assert.equal(await attached(guest.sessionId, randomUUID()), false);
    assert.equal(await attached('not-a-uuid', customerId), false);
    assert.equal(await store.getSession('not-a-uuid'), undefined);
  });
}

/** Everything the store says about one device and one session. */
async function snapshot(store: EntityStore, deviceId: string, sessionId: string) {
  return {
    device: await store.getDevice(deviceId),
    session: await store.getSession(sessionId),
    scans: await store.listSessionScans(sessionId),
  };
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** The same snapshot as if it were about another device and session id. */
function rename(s: Snapshot, deviceId: string, sessionId: string): Snapshot {
  return {
    device: s.device && {
      ...s.device,
      deviceId,
      activeSessionId: s.device.activeSessionId && sessionId,
    },
    session: s.session && { ...s.session, deviceId, sessionId },
    scans: s.scans.map((scan) => ({ ...scan, deviceId })),
  };
}

/** The same event from another device, in another session. */
function retarget(
  event: IngestedEvent,
  deviceId: string,
  sessionId: string,
  from: string,
): IngestedEvent {
  const message = { ...event.message, device_id: deviceId } as IngestedEvent['message'];
  if ('session_id' in message && message.session_id === from) {
    (message as { session_id: string }).session_id = sessionId;
  }
  return { ...event, deviceId, message };
}
