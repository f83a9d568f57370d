import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import { TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore, SessionView } from './entity-store.js';

const MINUTE = 60_000;

/** A store's session list and the cart's catalog (entity-store.contract.ts runs these). */
export function listContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it("pages a store's sessions newest first without repeats or gaps, with filters", async (t) => {
    const store = await open(t);
    if (!store) return;
    const cart = new TestDevice('CART-1');
    // Seven sessions, two of them starting at the same instant: the session id breaks the tie.
    const ids: string[] = [];
    const events = [];
    for (let i = 0; i < 7; i++) {
      const sessionId = randomUUID();
      ids.push(sessionId);
      const start = cart.event('session-start', { session_id: sessionId });
      const ms = T0 + Math.min(i, 5) * MINUTE;
      events.push({ ...start, deviceTime: ms });
      if (i % 2 === 0) {
        const end = cart.event('session-end', {
          session_id: sessionId,
          status: 'abandoned',
          payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
        });
        events.push({ ...end, deviceTime: ms + 1000 });
      }
    }
    await store.project(events);
    await store.project([new TestDevice('OTHER', 'store-2').event('session-start')]);

    const seen: SessionView[] = [];
    let after;
    for (let pages = 0; pages < 10; pages++) {
      const page = await store.listStoreSessions('store-1', {
        limit: 3,
        ...(after ? { after } : {}),
      });
      seen.push(...page.sessions);
      if (!page.next) break;
      after = page.next;
    }
    assert.equal(seen.length, 7);
    const order = [...seen].sort(
      (x, y) => y.startedAt.localeCompare(x.startedAt) || (y.sessionId < x.sessionId ? -1 : 1),
    );
    assert.deepEqual(
      seen.map((s) => s.sessionId),
      order.map((s) => s.sessionId),
      'newest start first, then session id descending',
    );
    assert.deepEqual(new Set(seen.map((s) => s.sessionId)), new Set(ids));

    const abandoned = await store.listStoreSessions('store-1', { limit: 50, status: 'abandoned' });
    assert.equal(abandoned.sessions.length, 4);
    assert.equal(abandoned.next, null);
    const window = await store.listStoreSessions('store-1', {
      limit: 50,
      since: T0 + MINUTE,
      until: T0 + 3 * MINUTE,
    });
    assert.deepEqual(
      window.sessions.map((s) => s.startedAt),
      [T0 + 2 * MINUTE, T0 + MINUTE].map((ms) => new Date(ms).toISOString()),
      'since inclusive, until exclusive',
    );
    assert.deepEqual((await store.listStoreSessions('nowhere', { limit: 5 })).sessions, []);
  });

  it("ranks the cart's catalog by items added in the store over the window, then by sku", async (t) => {
    const store = await open(t);
    if (!store) return;
    const item = (sku: string, barcode?: string) => ({
      sku,
      name: `Item ${sku}`,
      priceCents: 100,
      ...(barcode ? { barcode } : {}),
    });
    await store.upsertCatalogItems('store-1', [
      item('A', '1001'),
      item('B', '1002'),
      item('C', '1003'),
      item('D', '1004'),
      item('NOBAR'),
    ]);
    await store.upsertCatalogItems('store-2', [item('A', '1001'), item('D', '1004')]);
    const cart = new TestDevice('CART-1');
    const other = new TestDevice('CART-2', 'store-2');
    const now = T0 + 40 * 24 * 60 * MINUTE;
    const recent = randomUUID();
    const old = randomUUID();
    const scan = (device: TestDevice, session: string, fields: object, ms: number) => ({
      ...device.event('scan', { session_id: session, ...fields }),
      deviceTime: ms,
    });
    const theirs = randomUUID();
    await store.project([
      { ...cart.event('session-start', { session_id: recent }), deviceTime: now - MINUTE },
      // C twice (once by barcode alone), B once, B removed once (a removal is no demand).
      scan(cart, recent, { sku: 'C', barcode: '1003' }, now),
      scan(cart, recent, { sku: undefined, barcode: '1003' }, now),
      scan(cart, recent, { sku: 'B', barcode: '1002' }, now),
      scan(cart, recent, { sku: 'B', barcode: '1002', action: 'remove' }, now),
      scan(cart, recent, { sku: 'NOBAR', barcode: '9999' }, now),
      // D was popular 35 days ago: outside the 30-day window.
      { ...cart.event('session-start', { session_id: old }), deviceTime: now - 35 * 1440 * MINUTE },
      ...[1, 2, 3].map(() =>
        scan(cart, old, { sku: 'D', barcode: '1004' }, now - 35 * 1440 * MINUTE),
      ),
      // Another store's scans do not count here.
      { ...other.event('session-start', { session_id: theirs }), deviceTime: now },
      ...[1, 2, 3].map(() => scan(other, theirs, { sku: 'D', barcode: '1004' }, now)),
    ]);
    const since = now - 30 * 1440 * MINUTE;
    const top = await store.listTopCatalogItems('store-1', { since, limit: 10 });
    assert.deepEqual(
      top.map((i) => i.sku),
      ['C', 'B', 'A', 'D'],
    );
    assert.deepEqual(top[0], item('C', '1003'));
    const two = await store.listTopCatalogItems('store-1', { since, limit: 2 });
    assert.deepEqual(
      two.map((i) => i.sku),
      ['C', 'B'],
    );
    assert.deepEqual(
      (await store.listTopCatalogItems('store-2', { since, limit: 10 })).map((i) => i.sku),
      ['D', 'A'],
    );
  });
}
