import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEVICE_EXAMPLES } from '../../contract/examples.js';
import type { DeviceMessage } from '../../contract/index.js';
import { Ledger } from './ledger.js';

const S1 = '00000000-0000-4000-8000-000000000001';
const S2 = '00000000-0000-4000-8000-000000000002';
let counter = 0;
const ts = '2026-11-23T09:00:00.000Z';
const msg = (m: object) => ({ ...m, device_id: 'CART-1', counter: counter++, ts }) as DeviceMessage;
const start = (session_id: string) => msg({ ...DEVICE_EXAMPLES['session-start'], session_id });
const scan = (session_id: string) => msg({ ...DEVICE_EXAMPLES.scan, session_id });
const end = (session_id: string, payment: 'authorized' | 'not-attempted', amount = 747) =>
  msg({
    ...DEVICE_EXAMPLES['session-end'],
    session_id,
    payment: {
      method: payment === 'not-attempted' ? 'none' : 'store-terminal',
      status: payment,
      amount_cents: amount,
    },
  });
const refusal = (reason: 'signature' | 'replay' | 'json', counter?: number) => ({
  schema_version: 1 as const,
  device_id: 'CART-1',
  type: 'error' as const,
  ts,
  reason,
  detail: 'test',
  ...(counter !== undefined ? { counter } : {}),
});

test('counts sessions, scans, payments and replays from the observer callbacks alone', () => {
  const ledger = new Ledger();
  const o = ledger.observer('CART-1');
  const m = [
    start(S1),
    scan(S1),
    scan(S1),
    end(S1, 'authorized'),
    start(S2),
    end(S2, 'not-attempted', 0),
  ];
  for (const x of m) o.created?.(x);
  o.delivered?.(m[0]!, false);
  o.delivered?.(m[1]!, true);
  o.scanAcknowledged?.(12, true);
  o.scanAcknowledged?.(30, false);
  const c = ledger.counts();
  assert.equal(c.sessions, 2);
  assert.equal(c.scans, 2);
  assert.equal(c.payments, 1);
  assert.deepEqual(c.paymentsByStatus, { authorized: 1 });
  assert.equal(c.messagesCreated, 6);
  assert.equal(c.messagesDelivered, 2);
  assert.equal(c.replays, 1);
  assert.equal(c.scanAckOnline.p50, 12);
  assert.equal(c.scanAckOffline.p99, 30);
});

test('a refused scan is not expected on the platform; a replay refusal loses nothing', () => {
  const ledger = new Ledger();
  const o = ledger.observer('CART-1');
  const m = [start(S1), scan(S1), scan(S1), end(S1, 'authorized')];
  for (const x of m) o.created?.(x);
  o.rejected?.(refusal('signature', m[1]!.counter));
  o.rejected?.(refusal('replay', m[2]!.counter));
  const [e] = ledger.expected();
  assert.equal(e?.scanCount, 1);
  assert.equal(e?.status, 'complete');
  assert.deepEqual(ledger.counts().rejects, { signature: 1, replay: 1 });
});

test('a refused session-end leaves the session open and unpaid', () => {
  const ledger = new Ledger();
  const o = ledger.observer('CART-1');
  const m = [start(S1), end(S1, 'authorized')];
  for (const x of m) o.created?.(x);
  o.rejected?.(refusal('signature', m[1]!.counter));
  assert.deepEqual(
    ledger.expected().map((e) => [e.exists, e.status, e.payment]),
    [[true, 'open', null]],
  );
});

test('a session whose every message was refused is expected not to exist', () => {
  const ledger = new Ledger();
  const o = ledger.observer('CART-1');
  const m = start(S1);
  o.created?.(m);
  o.rejected?.(refusal('signature', m.counter));
  assert.equal(ledger.expected()[0]?.exists, false);
});

test('a refusal without a counter is counted against the cart as unattributed', () => {
  const ledger = new Ledger();
  const o = ledger.observer('CART-1');
  o.created?.(start(S1));
  o.rejected?.(refusal('json'));
  assert.equal(ledger.expected()[0]?.unattributedRejects, 1);
});

test('a corrupted scan is not expected even when its refusal never comes back, and counts once', () => {
  const ledger = new Ledger();
  const o = ledger.observer('CART-1');
  const m = [start(S1), scan(S1), scan(S1)];
  for (const x of m) o.created?.(x);
  o.corrupted?.(m[1]!);
  assert.equal(ledger.expected()[0]?.scanCount, 1);
  o.rejected?.(refusal('signature', m[1]!.counter));
  assert.equal(ledger.expected()[0]?.scanCount, 1, 'its refusal undoes nothing more');
});
