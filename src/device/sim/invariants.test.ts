import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInvariants, sessionsBefore, type ViolationKind } from './invariants.js';
import type { ExpectedSession } from './ledger.js';
import type { PlatformSession, PlatformView } from './platform-view.js';

const STORE = 'berlin-1';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function expected(n: number, over: Partial<ExpectedSession> = {}): ExpectedSession {
  return {
    sessionId: id(n),
    deviceId: 'CART-1',
    firstTs: 1000,
    exists: true,
    status: 'complete',
    scanCount: 3,
    payment: { status: 'authorized', amountCents: 500 },
    unattributedRejects: 0,
    ...over,
  };
}

function held(n: number, over: Partial<PlatformSession> = {}): PlatformSession {
  return {
    sessionId: id(n),
    deviceId: 'CART-1',
    storeId: STORE,
    status: 'complete',
    startedAt: new Date(1000).toISOString(),
    scanCount: 3,
    payment: { status: 'authorized', amountCents: 500 },
    mergedInto: null,
    ...over,
  };
}

function memoryView(sessions: PlatformSession[], devices = ['CART-1']): PlatformView {
  return {
    getSession: async (sid) => sessions.find((s) => s.sessionId === sid),
    async *listStoreSessions(storeId) {
      yield* sessions.filter((s) => s.storeId === storeId);
    },
    listStoreDevices: async () => devices,
  };
}

async function kinds(
  ledger: ExpectedSession[],
  view: PlatformView,
  carts = ['CART-1'],
): Promise<ViolationKind[]> {
  const report = await checkInvariants({ expected: () => ledger }, view, {
    storeId: STORE,
    carts,
    since: 0,
    until: 10_000,
  });
  return report.violations.map((v) => v.kind);
}

test('a platform that holds exactly what the carts did passes', async () => {
  const report = await checkInvariants(
    { expected: () => [expected(1), expected(2, { status: 'open', payment: null, scanCount: 1 })] },
    memoryView([held(1), held(2, { status: 'active', payment: null, scanCount: 1 })]),
    { storeId: STORE, carts: ['CART-1'], since: 0, until: 10_000 },
  );
  assert.deepEqual(report.violations, []);
  assert.deepEqual(report.notChecked, []);
  assert.equal(report.checkedSessions, 2);
});

test('detects a missing session with its id', async () => {
  const report = await checkInvariants({ expected: () => [expected(1)] }, memoryView([]), {
    storeId: STORE,
    carts: ['CART-1'],
    since: 0,
    until: 10_000,
  });
  assert.deepEqual(
    report.violations.map((v) => [v.kind, v.sessionId]),
    [['session-missing', id(1)]],
  );
});

test('detects each kind of disagreement', async () => {
  assert.deepEqual(await kinds([expected(1)], memoryView([held(1, { status: 'abandoned' })])), [
    'status',
  ]);
  assert.deepEqual(await kinds([expected(1)], memoryView([held(1, { scanCount: 2 })])), [
    'scan-count',
  ]);
  assert.deepEqual(
    await kinds(
      [expected(1)],
      memoryView([held(1, { payment: { status: 'authorized', amountCents: 499 } })]),
    ),
    ['payment'],
  );
  assert.deepEqual(await kinds([expected(1)], memoryView([held(1, { payment: null })])), [
    'payment',
  ]);
  assert.deepEqual(
    await kinds(
      [expected(1, { payment: null, status: 'abandoned' })],
      memoryView([held(1, { status: 'abandoned' })]),
    ),
    ['payment-without-session'],
  );
  assert.deepEqual(await kinds([expected(1)], memoryView([held(1, { deviceId: 'CART-2' })])), [
    'wrong-cart',
  ]);
  assert.deepEqual(await kinds([expected(1, { exists: false })], memoryView([held(1)])), [
    'session-unexpected',
  ]);
  assert.deepEqual(await kinds([expected(1)], memoryView([held(1)], [])), ['cart-missing']);
});

test('a session of the carts that no cart started is double counting, and its payment has no session', async () => {
  assert.deepEqual(await kinds([expected(1)], memoryView([held(1), held(2)])), [
    'double-counted',
    'payment-without-session',
  ]);
  assert.deepEqual(await kinds([expected(1)], memoryView([held(1), held(1)])), ['double-counted']);
});

test("an earlier run's sessions on the same carts are not this run's to judge, wherever their times fall", async () => {
  // The earlier run's session, paid, in this run's window: its cart stamped times ahead.
  const earlier = memoryView([held(1, { startedAt: new Date(5000).toISOString() })]);
  const before = await sessionsBefore(earlier, { storeId: STORE, carts: ['CART-1'], since: 0 });
  assert.deepEqual(before, new Set([id(1)]));
  const report = await checkInvariants(
    { expected: () => [expected(2)] },
    memoryView([held(1), held(2)]),
    { storeId: STORE, carts: ['CART-1'], since: 0, until: 10_000, ...(before ? { before } : {}) },
  );
  assert.deepEqual(report.violations, []);
  // A session that appeared during the run and that no cart of it started is still caught.
  assert.deepEqual(
    (
      await checkInvariants(
        { expected: () => [expected(2)] },
        memoryView([held(1), held(2), held(3)]),
        {
          storeId: STORE,
          carts: ['CART-1'],
          since: 0,
          until: 10_000,
          ...(before ? { before } : {}),
        },
      )
    ).violations.map((v) => [v.kind, v.sessionId]),
    [
      ['double-counted', id(3)],
      ['payment-without-session', id(3)],
    ],
  );
});

test("another device's sessions in the store are not this run's to judge", async () => {
  assert.deepEqual(
    await kinds([expected(1)], memoryView([held(1), held(2, { deviceId: 'TILL-9' })])),
    [],
  );
});

test('a transferred session merged into the next one counts once; a merge from nowhere does not', async () => {
  const left = expected(1, { status: 'transferred', payment: null });
  const next = expected(2, { deviceId: 'CART-2' });
  const view = memoryView(
    [
      held(1, { status: 'transferred', payment: null, mergedInto: id(2) }),
      held(2, { deviceId: 'CART-2' }),
    ],
    ['CART-1', 'CART-2'],
  );
  assert.deepEqual(await kinds([left, next], view, ['CART-1', 'CART-2']), []);
  const stray = memoryView([held(1, { mergedInto: id(9) })]);
  assert.deepEqual(await kinds([expected(1)], stray), ['merge']);
});

test('a scan count short by no more than the cart’s unattributed refusals is not a violation', async () => {
  assert.deepEqual(
    await kinds([expected(1, { unattributedRejects: 1 })], memoryView([held(1, { scanCount: 2 })])),
    [],
  );
});

test('says what it could not check when the view cannot list sessions or devices', async () => {
  const report = await checkInvariants(
    { expected: () => [expected(1)] },
    { getSession: async () => held(1) },
    { storeId: STORE, carts: ['CART-1'], since: 0, until: 1 },
  );
  assert.deepEqual(report.violations, []);
  assert.equal(report.notChecked.length, 2);
});

test('waits for projection to catch up before reporting', async () => {
  let calls = 0;
  const report = await checkInvariants(
    { expected: () => [expected(1)] },
    { getSession: async () => (++calls > 2 ? held(1) : undefined) },
    { storeId: STORE, carts: ['CART-1'], since: 0, until: 1, settleMs: 5000 },
  );
  assert.deepEqual(report.violations, []);
  assert.ok(calls >= 3);
});
