import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import { TestDevice, T0 } from '../../test-support/entity-events.js';
import type { EntityStore, IngestedEvent } from './entity-store.js';

const MINUTE = 60_000;
const LOYALTY = '6012345678901234';
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
 * tapped loyalty card L; cart B's session is identified with `credential` `gap` after that.
 */
function batterySwap(
  options: {
    gap?: number;
    storeB?: string;
    credential?: string;
    method?: 'loyalty' | 'app-code';
  } = {},
) {
  const a = new TestDevice('CART-A');
  const b = new TestDevice('CART-B', options.storeB ?? 'store-1');
  const sA = randomUUID();
  const sB = randomUUID();
  const end = T0 + 10 * MINUTE;
  const startB = end + (options.gap ?? 3 * MINUTE) - MINUTE;
  const identifyB =
    options.method === 'app-code'
      ? b.event('identify', { session_id: sB, method: 'app-code', app_code: 'K7Q2ZP' } as never)
      : b.event('identify', {
          session_id: sB,
          method: 'loyalty',
          loyalty_number: options.credential ?? LOYALTY,
        });
  return {
    sA,
    sB,
    a: [
      at(a.event('session-start', { session_id: sA }), T0),
      at(a.event('scan', { session_id: sA, scan_seq: 1 }), T0 + MINUTE),
      at(
        a.event('identify', { session_id: sA, method: 'loyalty', loyalty_number: LOYALTY }),
        end - MINUTE,
      ),
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
    b: [at(b.event('session-start', { session_id: sB }), startB), at(identifyB, startB + MINUTE)],
  };
}

/** Battery-swap merges and the session link (entity-store.contract.ts runs these in its suite). */
export function mergeContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('merges a transferred session into the session the same card identified next', async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = batterySwap();
    assert.deepEqual((await store.project(swap.a)).merges, []);
    const outcome = await store.project(swap.b);
    assert.deepEqual(outcome.merges, [{ fromSessionId: swap.sA, intoSessionId: swap.sB }]);
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

  it("merges when the transferred session's end arrives after the new session's identify", async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = batterySwap();
    await store.project(swap.a.slice(0, 3));
    await store.project(swap.b);
    assert.equal((await store.getSession(swap.sA))?.mergedInto, null, 'A is not transferred yet');
    const outcome = await store.project(swap.a.slice(3));
    assert.deepEqual(outcome.merges, [{ fromSessionId: swap.sA, intoSessionId: swap.sB }]);
    assert.deepEqual((await store.getSession(swap.sB))?.mergedFrom, [swap.sA]);
  });

  it("merges when the transferred session's identify arrives last (held in RAM offline)", async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = batterySwap();
    const identifyA = swap.a[2]!;
    await store.project([...swap.a.filter((e) => e !== identifyA), ...swap.b]);
    assert.equal((await store.getSession(swap.sA))?.mergedInto, null);
    await store.project([identifyA]);
    assert.equal((await store.getSession(swap.sA))?.mergedInto, swap.sB);
  });

  it('merges once: replaying either half changes nothing and reports no new merge', async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = batterySwap();
    await store.project([...swap.a, ...swap.b]);
    const before = [await store.getSession(swap.sA), await store.getSession(swap.sB)];
    const link = await store.getSessionLink(swap.sB);
    assert.deepEqual((await store.project(swap.b)).merges, []);
    assert.deepEqual((await store.project([...swap.b, ...swap.a])).merges, []);
    assert.deepEqual([await store.getSession(swap.sA), await store.getSession(swap.sB)], before);
    assert.deepEqual(await store.getSessionLink(swap.sB), link, 'the customer ref is kept');
  });

  it('does not merge after the 2-hour window, and does merge just inside it', async (t) => {
    const store = await open(t);
    if (!store) return;
    const late = batterySwap({ gap: 2 * 60 * MINUTE + MINUTE });
    await store.project([...late.a, ...late.b]);
    assert.equal((await store.getSession(late.sA))?.mergedInto, null);
    const inside = batterySwap({ gap: 2 * 60 * MINUTE - MINUTE });
    await store.project([...inside.a, ...inside.b]);
    assert.equal((await store.getSession(inside.sA))?.mergedInto, inside.sB);
  });

  it('does not merge across stores, across credentials, or on a one-time app code', async (t) => {
    const store = await open(t);
    if (!store) return;
    for (const options of [
      { storeB: 'store-2' },
      { credential: '6012345678909999' },
      { method: 'app-code' as const },
    ]) {
      const swap = batterySwap(options);
      await store.project([...swap.a, ...swap.b]);
      assert.equal((await store.getSession(swap.sA))?.mergedInto, null, JSON.stringify(options));
      assert.deepEqual((await store.getSessionLink(swap.sB))?.carried, []);
    }
  });

  it('gives each identified session its own random customer ref, and none to a guest', async (t) => {
    const store = await open(t);
    if (!store) return;
    const swap = batterySwap();
    await store.project([...swap.a, ...swap.b]);
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
