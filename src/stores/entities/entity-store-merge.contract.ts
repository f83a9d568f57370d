import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import { TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore, IngestedEvent } from './entity-store.js';

const MINUTE = 60_000;
const A_LINES = [
  { barcode: '4006381333931', sku: 'SKU-1029', quantity: 2, price_cents: 249 },
  { barcode: '5449000000996', sku: 'SKU-2210', quantity: 1, price_cents: 129 },
];

/** The same event as if it had happened at `ms` on the device's clock. */
function at(event: IngestedEvent, ms: number): IngestedEvent {
  const message = { ...event.message, ts: new Date(ms).toISOString() } as IngestedEvent['message'];
  return { ...event, deviceTime: ms, receivedAt: ms + 40, message };
}

/**
 * A battery-swap pair: cart A's session ends 'transferred' at T0 + 10 min after the customer
 * identified; cart B's session is identified `gap` after that. Which account each identify
 * resolves to is the identity service's business: the tests link sessions with attachAccount.
 */
function batterySwap(options: { gap?: number; storeB?: string } = {}) {
  const a = new TestDevice('CART-A');
  const b = new TestDevice('CART-B', options.storeB ?? 'store-1');
  const sA = randomUUID();
  const sB = randomUUID();
  const end = T0 + 10 * MINUTE;
  const startB = end + (options.gap ?? 3 * MINUTE) - MINUTE;
  return {
    sA,
    sB,
    a: [
      at(a.event('session-start', { session_id: sA }), T0),
      at(a.event('scan', { session_id: sA, scan_seq: 1 }), T0 + MINUTE),
      at(a.event('identify', { session_id: sA }), end - MINUTE),
      at(
        a.event('session-end', {
          session_id: sA,
          status: 'transferred',
          item_count: 3,
          total_cents: 627,
          contents: A_LINES,
          payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
        }),
        end,
      ),
    ],
    b: [
      at(b.event('session-start', { session_id: sB }), startB),
      at(b.event('identify', { session_id: sB }), startB + MINUTE),
    ],
  };
}

async function account(store: EntityStore): Promise<string> {
  return (await store.createAccount({ kind: 'member', region: 'us' })).customerId;
}

/** Projects both halves and links both sessions to one account, A first. */
async function linkedSwap(store: EntityStore, options: Parameters<typeof batterySwap>[0] = {}) {
  const swap = batterySwap(options);
  const customer = await account(store);
  await store.project([...swap.a, ...swap.b]);
  const first = await store.attachAccount(swap.sA, customer);
  const second = await store.attachAccount(swap.sB, customer);
  return { ...swap, customer, merges: [...first.merges, ...second.merges] };
}

/** Battery-swap merges and the session link (entity-store.contract.ts runs these in its suite). */
export function mergeContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('merges a transferred session into the next session of the same account', async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = await linkedSwap(store);
    assert.deepEqual(swap.merges, [{ fromSessionId: swap.sA, intoSessionId: swap.sB }]);
    assert.equal((await store.getSession(swap.sA))?.mergedInto, swap.sB);
    const b = await store.getSession(swap.sB);
    assert.deepEqual(b?.mergedFrom, [swap.sA]);
    assert.equal(b?.mergedInto, null);
    const link = await store.getSessionLink(swap.sB);
    assert.equal(link?.deviceId, 'CART-B');
    assert.equal(link?.open, true);
    assert.deepEqual(link?.carried, [{ fromSessionId: swap.sA, lines: A_LINES }]);
    assert.equal((await store.getSessionLink(swap.sA))?.mergedInto, swap.sB);
  });

  it('merges whichever of the two links and the transferred end comes last', async (t) => {
    const store = await open(t);
    if (!store) return;
    // B linked before A.
    const first = batterySwap();
    const customer = await account(store);
    await store.project([...first.a, ...first.b]);
    assert.deepEqual((await store.attachAccount(first.sB, customer)).merges, []);
    assert.deepEqual((await store.attachAccount(first.sA, customer)).merges, [
      { fromSessionId: first.sA, intoSessionId: first.sB },
    ]);
    // Both linked before A's transferred end arrives: projection merges.
    const second = batterySwap();
    const other = await account(store);
    await store.project([...second.a.slice(0, 3), ...second.b]);
    await store.attachAccount(second.sA, other);
    await store.attachAccount(second.sB, other);
    assert.equal((await store.getSession(second.sA))?.mergedInto, null, 'A is not transferred');
    assert.deepEqual((await store.project(second.a.slice(3))).merges, [
      { fromSessionId: second.sA, intoSessionId: second.sB },
    ]);
  });

  it('merges once: replaying either half or linking again changes nothing', async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = await linkedSwap(store);
    const before = [await store.getSession(swap.sA), await store.getSession(swap.sB)];
    const link = await store.getSessionLink(swap.sB);
    assert.deepEqual((await store.project(swap.b)).merges, []);
    assert.deepEqual((await store.project([...swap.b, ...swap.a])).merges, []);
    assert.deepEqual((await store.attachAccount(swap.sB, swap.customer)).merges, []);
    assert.deepEqual([await store.getSession(swap.sA), await store.getSession(swap.sB)], before);
    assert.deepEqual(await store.getSessionLink(swap.sB), link, 'the customer ref is kept');
  });

  it('does not merge after the 2-hour window, and does merge just inside it', async (t) => {
    const store = await open(t);
    if (!store) return;
    const late = await linkedSwap(store, { gap: 2 * 60 * MINUTE + MINUTE });
    assert.equal((await store.getSession(late.sA))?.mergedInto, null);
    const inside = await linkedSwap(store, { gap: 2 * 60 * MINUTE - MINUTE });
    assert.equal((await store.getSession(inside.sA))?.mergedInto, inside.sB);
  });

  it('does not merge across stores or across accounts', async (t) => {
    const store = await open(t);
    if (!store) return;
    const elsewhere = await linkedSwap(store, { storeB: 'store-2' });
    assert.equal((await store.getSession(elsewhere.sA))?.mergedInto, null);
    const swap = batterySwap();
    await store.project([...swap.a, ...swap.b]);
    await store.attachAccount(swap.sA, await account(store));
    await store.attachAccount(swap.sB, await account(store));
    assert.equal((await store.getSession(swap.sA))?.mergedInto, null);
    assert.deepEqual((await store.getSessionLink(swap.sB))?.carried, []);
  });

  it('gives each identified session its own random customer ref, and none to a guest', async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = await linkedSwap(store);
    const refA = (await store.getSessionLink(swap.sA))?.customerRef;
    const refB = (await store.getSessionLink(swap.sB))?.customerRef;
    assert.match(
      refA ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.notEqual(refA, refB, 'the same card on two sessions gets two refs');
    assert.equal((await store.getSessionLink(swap.sA))?.open, false);
    const guest = randomUUID();
    await store.project([new TestDevice('CART-G').event('session-start', { session_id: guest })]);
    assert.equal(await store.getSessionLink(guest), undefined);
    assert.equal(await store.getSessionLink('not-a-uuid'), undefined);
    const view = (await store.getSession(swap.sB)) as unknown as Record<string, unknown>;
    assert.equal('customerRef' in view, false, 'the ops view does not show the ref');
  });
}
