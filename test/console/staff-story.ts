// The world of the staff tablet's browser story (staff.engine.test.ts): store A with three carts,
// store B with one, the ops view of them for checking what the page shows, and what a customer
// does at a cart.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import type { Cart } from '../../src/device/cart/cart.js';
import type { Product } from '../../src/device/sim/shelf.js';
import { apiRequest } from '../../test-support/api-client.js';
import {
  STORE_A,
  STORE_B,
  twoStoreFleet,
  type TwoStoreFleet,
} from '../../test-support/console-fleet.js';
import { eventually } from '../../test-support/platform.js';
import { SHELF } from '../../test-support/test-cart.js';

export const A1 = 'CART-A001';
export const A2 = 'CART-A002';
export const A3 = 'CART-A003';
export const B1 = 'CART-B001';

export type Json = Record<string, unknown>;

export interface StaffStory extends TwoStoreFleet {
  cartOf(id: string): Cart;
  /** A GET with an ops token, which must answer 200. */
  opsGet(path: string): Promise<Json>;
  /** A store's carts as the API lists them. */
  storeCarts(store: string): Promise<Json[]>;
  /** A cart's audit records of one action, oldest first. */
  audited(deviceId: string, action: string): Promise<{ actor: unknown; detail: Json }[]>;
}

/** Both stores' carts reporting, and one cart of A out for repair (ops did it before the shift). */
export async function staffStory(t: TestContext): Promise<StaffStory> {
  const fleet = await twoStoreFleet(t, { [STORE_A]: [A1, A2, A3], [STORE_B]: [B1] });
  const opsGet = async (path: string) => {
    const answer = await apiRequest(fleet.platform, 'GET', path);
    assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const storeCarts = async (store: string) =>
    (await opsGet(`/v1/stores/${store}/carts`))['carts'] as Json[];
  const story: StaffStory = {
    ...fleet,
    cartOf: (id) => fleet.carts[id]!.cart,
    opsGet,
    storeCarts,
    audited: async (deviceId, action) => {
      const trail = (await opsGet(`/v1/carts/${deviceId}/audit`))['entries'] as Json[];
      return trail
        .filter((e) => e['action'] === action)
        .map((e) => ({ actor: e['actor'], detail: e['detail'] as Json }))
        .reverse();
    },
  };
  await eventually(async () => {
    const listed = await storeCarts(STORE_A);
    return listed.length === 3 && listed.every((c) => c['batteryPct'] !== null) ? true : undefined;
  }, "store A's carts reporting health");
  const repair = await apiRequest(
    fleet.platform,
    'PUT',
    `/v1/stores/${STORE_A}/carts/${A3}/maintenance`,
    { body: { reason: 'repair' } },
  );
  assert.equal(repair.status, 200, JSON.stringify(repair.body));
  await cartInState(story.cartOf(A3), 'maintenance');
  return story;
}

export function cartInState(cart: Cart, state: Cart['state']): Promise<true> {
  return eventually(() => (cart.state === state ? true : undefined), `${cart.deviceId} ${state}`);
}

/**
 * A customer scans an item until the scanner reads it (it misses now and then, as a real one
 * does); `actualWeightG` is what they put in the cart.
 */
export async function scan(cart: Cart, product: Product, actualWeightG = product.weightG) {
  for (let tries = 0; tries < 20; tries++) {
    const outcome = await cart.scanItem(product, { actualWeightG });
    if (outcome.ok) return outcome;
  }
  assert.fail(`${cart.deviceId} never read ${product.barcode}`);
}

export const PRODUCTS = SHELF.products;

/** Nothing of store B anywhere in the page's text. */
export async function showsNothingOfB(page: Page, view: string): Promise<void> {
  const text = await page.locator('body').innerText();
  assert.ok(!text.includes(B1) && !text.includes(STORE_B), `${view} shows store B: ${text}`);
}

/** Whether a promise settles within `ms` (a stream's end, say), without waiting longer. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);
}
