import { Cart, type CheckoutOutcome } from '../cart/cart.js';
import {
  randomAppCode,
  randomLoyaltyNumber,
  randomPaymentCard,
  type Credential,
} from '../cart/emv.js';
import type { FleetCart, TripContext } from '../cart/fleet-cart.js';
import { offsetEast } from '../cart/geo.js';
import { intBetween, type Random } from '../random.js';
import { Shelf, type Product } from './shelf.js';

/** Faults a trip injects, each a probability per opportunity (per scan, per checkout, per trip). */
export interface FaultRates {
  /** Per scan: the imager jams until staff clear it. */
  readonly scannerJam?: number;
  /** Per checkout: the terminal declines; the customer pays at the store's terminal. */
  readonly paymentDecline?: number;
  /** Per scan: the item in the basket is not the one scanned (weight mismatch). */
  readonly swappedItem?: number;
  /** Per scan: a product from the long tail the cart's cache does not hold. */
  readonly uncachedItem?: number;
  /** Per trip: the customer wheels the cart out without paying. */
  readonly exitWithoutPayment?: number;
}

export interface TripOptions {
  /** Items to scan (default 30–80, the PRD's session size). */
  readonly items?: number;
  readonly shelf?: Shelf;
  readonly faults?: FaultRates;
  /** Simulated ms between two scans (default 10–40 s). */
  readonly dwellMs?: readonly [number, number];
  /** interruptedShop: how long the customer is away (default ~10 min). */
  readonly awayMs?: number;
  /** parkingLot: how long until staff bring the cart back (default 2 h). */
  readonly parkedMs?: number;
}

export interface TripResult {
  readonly trip: TripName;
  /** Every session the trip made, in order (two for a battery swap). */
  readonly sessionIds: string[];
  /** How the customer paid, if they got that far. */
  readonly payment?: CheckoutOutcome['status'];
  /** Items that made it onto a display. */
  readonly scanned: number;
  /** What the customer identified with, for a test to look for (never stored by the cart). */
  readonly credentials: Credential[];
}

export type Trip = (cart: Cart, ctx: TripContext, options?: TripOptions) => Promise<TripResult>;

const DEFAULT_SHELF = new Shelf();
const MINUTE = 60_000;

/** The customer's side of scanning: retries a failed read, waits for staff on a jam. */
async function scanOne(
  cart: Cart,
  ctx: TripContext,
  product: Product,
  faults: FaultRates,
): Promise<boolean> {
  const random = ctx.random;
  if (chance(random, faults.scannerJam)) cart.faults.jamScanner();
  const actual = chance(random, faults.swappedItem) ? product.weightG + 150 : product.weightG;
  for (let attempt = 0; attempt < 8; attempt++) {
    const result = await cart.scanItem(product, { actualWeightG: actual });
    if (result.ok) return true;
    if (result.reason === 'refused' || result.reason === 'not-in-basket') return false;
    if (result.reason === 'jammed') {
      await ctx.clock.sleep(intBetween(random, 2, 5) * MINUTE, ctx.signal);
      cart.faults.clearScannerJam();
    } else await ctx.clock.sleep(intBetween(random, 1000, 3000), ctx.signal);
  }
  return false;
}

/** Scans `count` items with a pause between each; now and then puts one back. */
async function shop(
  cart: Cart,
  ctx: TripContext,
  count: number,
  options: TripOptions,
  stopWhen?: () => boolean,
): Promise<number> {
  const shelf = options.shelf ?? DEFAULT_SHELF;
  const faults = options.faults ?? {};
  const [lo, hi] = options.dwellMs ?? [10_000, 40_000];
  let scanned = 0;
  const basket: Product[] = [];
  for (let i = 0; i < count; i++) {
    if (stopWhen?.()) break;
    await ctx.clock.sleep(intBetween(ctx.random, lo, hi), ctx.signal);
    const product =
      (chance(ctx.random, faults.uncachedItem) ? shelf.pickUncached(ctx.random) : undefined) ??
      shelf.pick(ctx.random);
    if (await scanOne(cart, ctx, product, faults)) {
      scanned++;
      basket.push(product);
    }
    if (basket.length > 3 && ctx.random() < 0.04) {
      const back = basket.splice(Math.floor(ctx.random() * basket.length), 1)[0]!;
      for (let tries = 0; tries < 5; tries++) {
        const r = await cart.removeItem(back);
        if (r.ok || r.reason !== 'no-read') break;
      }
    }
  }
  return scanned;
}

async function pay(
  cart: Cart,
  ctx: TripContext,
  card: Credential & { kind: 'payment' },
  options: TripOptions,
): Promise<CheckoutOutcome['status']> {
  const declineRate = options.faults?.paymentDecline ?? 0;
  cart.terminal.setDeclineRate(declineRate);
  const outcome = await cart.checkout(card);
  if (outcome.status !== 'declined') return outcome.status;
  await ctx.clock.sleep(MINUTE, ctx.signal);
  return (await cart.payAtStoreTerminal()).status;
}

function itemCount(ctx: TripContext, options: TripOptions): number {
  return options.items ?? intBetween(ctx.random, 30, 80);
}

function chance(random: Random, rate: number | undefined): boolean {
  return rate !== undefined && rate > 0 && random() < rate;
}

/** Wheels the cart out without paying, at the scenario's rate; true when it happened. */
async function maybeExitUnpaid(cart: Cart, ctx: TripContext, options: TripOptions) {
  if (!chance(ctx.random, options.faults?.exitWithoutPayment)) return false;
  const fence = cart.site.geofence;
  await cart.moveTo(offsetEast(fence, fence.radiusM + 150));
  await ctx.clock.sleep(30 * MINUTE, ctx.signal);
  await cart.moveTo(fence);
  return true;
}

/** Golden path 1: loyalty tap, greeted, shops, pays. */
export const knownCustomer: Trip = async (cart, ctx, options = {}) => {
  const loyalty: Credential = { kind: 'loyalty', number: randomLoyaltyNumber(ctx.random) };
  const card = randomPaymentCard(ctx.random);
  const { sessionId } = await cart.tap(loyalty);
  const scanned = await shop(cart, ctx, itemCount(ctx, options), options);
  const ids = sessionId ? [sessionId] : [];
  if (await maybeExitUnpaid(cart, ctx, options)) {
    return { trip: 'knownCustomer', sessionIds: ids, scanned, credentials: [loyalty] };
  }
  const payment = await pay(cart, ctx, card, options);
  return { trip: 'knownCustomer', sessionIds: ids, payment, scanned, credentials: [loyalty, card] };
};

/** Golden path 2: shop as guest, pay; the cart never learns who it was. */
export const guest: Trip = async (cart, ctx, options = {}) => {
  const card = randomPaymentCard(ctx.random);
  const sessionId = await cart.startAsGuest();
  const scanned = await shop(cart, ctx, itemCount(ctx, options), options);
  const ids = sessionId ? [sessionId] : [];
  if (await maybeExitUnpaid(cart, ctx, options)) {
    return { trip: 'guest', sessionIds: ids, scanned, credentials: [] };
  }
  const payment = await pay(cart, ctx, card, options);
  return { trip: 'guest', sessionIds: ids, payment, scanned, credentials: [card] };
};

/** Golden path 3: starts as guest, remembers the loyalty card halfway (or shows the app). */
export const midShopLoyalty: Trip = async (cart, ctx, options = {}) => {
  const n = itemCount(ctx, options);
  const card = randomPaymentCard(ctx.random);
  const late: Credential =
    ctx.random() < 0.5
      ? { kind: 'loyalty', number: randomLoyaltyNumber(ctx.random) }
      : { kind: 'app-code', code: randomAppCode(ctx.random) };
  const sessionId = await cart.startAsGuest();
  let scanned = await shop(cart, ctx, Math.ceil(n / 2), options);
  await cart.tap(late);
  scanned += await shop(cart, ctx, Math.floor(n / 2), options);
  const payment = await pay(cart, ctx, card, options);
  return {
    trip: 'midShopLoyalty',
    sessionIds: sessionId ? [sessionId] : [],
    payment,
    scanned,
    credentials: [late, card],
  };
};

/** Golden path 4: leaves the cart ~10 minutes; it sleeps holding the session; a tap resumes. */
export const interruptedShop: Trip = async (cart, ctx, options = {}) => {
  const n = itemCount(ctx, options);
  const loyalty: Credential = { kind: 'loyalty', number: randomLoyaltyNumber(ctx.random) };
  const card = randomPaymentCard(ctx.random);
  const { sessionId } = await cart.tap(loyalty);
  let scanned = await shop(cart, ctx, Math.ceil(n / 2), options);
  const away = options.awayMs ?? (8 + ctx.random() * 4) * MINUTE;
  await ctx.clock.sleep(away, ctx.signal);
  await cart.tap(loyalty);
  scanned += await shop(cart, ctx, Math.floor(n / 2), options);
  const payment = await pay(cart, ctx, card, options);
  return {
    trip: 'interruptedShop',
    sessionIds: sessionId ? [sessionId] : [],
    payment,
    scanned,
    credentials: [loyalty, card],
  };
};

/**
 * Edge case 1: WiFi fails mid-shop (LTE-M takes over), then cellular too (store-and-forward);
 * the customer finishes and pays at the store's terminal; the links return and the cart replays.
 */
export const connectivityLoss: Trip = async (cart, ctx, options = {}) => {
  const n = itemCount(ctx, options);
  const card = randomPaymentCard(ctx.random);
  const sessionId = await cart.startAsGuest();
  const third = Math.max(1, Math.floor(n / 3));
  let scanned = await shop(cart, ctx, third, options);
  cart.faults.setWifi(false);
  scanned += await shop(cart, ctx, third, options);
  // The customer walks on a while before cellular fails too.
  await ctx.clock.sleep(intBetween(ctx.random, 30_000, 90_000), ctx.signal);
  cart.faults.setCellular(false);
  scanned += await shop(cart, ctx, n - 2 * third, options);
  const payment = await pay(cart, ctx, card, options);
  await ctx.clock.sleep(5 * MINUTE, ctx.signal);
  cart.faults.setCellular(true);
  cart.faults.setWifi(true);
  return {
    trip: 'connectivityLoss',
    sessionIds: sessionId ? [sessionId] : [],
    payment,
    scanned,
    credentials: [card],
  };
};

/**
 * Edge case 2: the battery fails mid-shop; the customer taps their card when the display asks,
 * the cart hands the session over and dies, and the customer carries on with a spare cart.
 */
export const batteryCliff: Trip = async (cart, ctx, options = {}) => {
  const n = itemCount(ctx, options);
  const card = randomPaymentCard(ctx.random);
  const credential: Credential =
    ctx.random() < 0.5 ? { kind: 'loyalty', number: randomLoyaltyNumber(ctx.random) } : card;
  const first = await cart.startAsGuest();
  let scanned = await shop(cart, ctx, Math.ceil(n / 2), options);
  cart.faults.drainBatteryToCliff();
  const warned = () => cart.view.warnings.includes('tap-card-to-transfer') || cart.state === 'dead';
  scanned += await shop(cart, ctx, n, options, warned);
  while (!warned()) await ctx.clock.sleep(30_000, ctx.signal);
  if (cart.state !== 'dead') await cart.tap(credential);
  while (cart.state !== 'dead') await ctx.clock.sleep(10_000, ctx.signal);
  const ids = first ? [first] : [];
  const spare = customerCart(ctx.spareCart?.());
  if (!spare) return { trip: 'batteryCliff', sessionIds: ids, scanned, credentials: [credential] };
  await spare.powerOn();
  const { sessionId } = await spare.tap(credential);
  if (sessionId) ids.push(sessionId);
  scanned += await shop(spare, ctx, Math.max(1, Math.floor(n / 4)), options);
  const payment = await pay(spare, ctx, card, options);
  return {
    trip: 'batteryCliff',
    sessionIds: ids,
    payment,
    scanned,
    credentials: [credential, card],
  };
};

/** Edge case 3: pays, wheels the cart to the car park; it pings hourly until staff fetch it. */
export const parkingLot: Trip = async (cart, ctx, options = {}) => {
  const card = randomPaymentCard(ctx.random);
  const sessionId = await cart.startAsGuest();
  const scanned = await shop(cart, ctx, itemCount(ctx, options), options);
  const payment = await pay(cart, ctx, card, options);
  const fence = cart.site.geofence;
  await cart.moveTo(offsetEast(fence, fence.radiusM + 40 + ctx.random() * 200));
  await ctx.clock.sleep(options.parkedMs ?? 2 * 60 * MINUTE, ctx.signal);
  await cart.moveTo(fence);
  return {
    trip: 'parkingLot',
    sessionIds: sessionId ? [sessionId] : [],
    payment,
    scanned,
    credentials: [card],
  };
};

function customerCart(cart: FleetCart | undefined): Cart | undefined {
  if (cart === undefined) return undefined;
  if (!(cart instanceof Cart)) throw new TypeError('a spare cart must be a Cart');
  return cart;
}

/** Every trip by name: the four golden paths and three edge cases. */
export const TRIPS = {
  knownCustomer,
  guest,
  midShopLoyalty,
  interruptedShop,
  connectivityLoss,
  batteryCliff,
  parkingLot,
} as const satisfies Record<string, Trip>;
export type TripName = keyof typeof TRIPS;

/** A mix of trips (relative weights) and the faults injected along the way. */
export interface Scenario {
  readonly weights: Readonly<Partial<Record<TripName, number>>>;
  readonly faults: FaultRates;
  /** Fraction of carts that corrupt a payload now and then (setPayloadCorruption). */
  readonly payloadCorruption?: number;
}

export const SCENARIOS = {
  /** A normal day: the four golden paths. */
  golden: {
    weights: { knownCustomer: 4, guest: 3, midShopLoyalty: 1, interruptedShop: 1 },
    faults: {},
  },
  /** The three edge cases only. */
  edge: {
    weights: { connectivityLoss: 1, batteryCliff: 1, parkingLot: 1 },
    faults: {},
  },
  /** Mostly golden paths, some edge cases, faults at low rates. */
  mixed: {
    weights: {
      knownCustomer: 30,
      guest: 25,
      midShopLoyalty: 10,
      interruptedShop: 10,
      connectivityLoss: 5,
      batteryCliff: 2,
      parkingLot: 3,
    },
    faults: {
      scannerJam: 0.002,
      paymentDecline: 0.02,
      swappedItem: 0.01,
      uncachedItem: 0.02,
      exitWithoutPayment: 0.01,
    },
    payloadCorruption: 0.001,
  },
} as const satisfies Record<string, Scenario>;
export type ScenarioName = keyof typeof SCENARIOS;

/** Picks a trip from a scenario's weights. */
export function pickTrip(scenario: Scenario, random: Random): TripName {
  const entries = Object.entries(scenario.weights) as [TripName, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = random() * total;
  for (const [name, weight] of entries) {
    x -= weight;
    if (x < 0) return name;
  }
  return entries.at(-1)![0];
}
