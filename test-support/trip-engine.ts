import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Cart } from '../src/device/cart/cart.js';
import type { TripContext } from '../src/device/cart/fleet-cart.js';
import { ScaledClock } from '../src/device/clock/sim-clock.js';
import { mulberry32 } from '../src/device/random.js';
import { TRIPS, type TripName, type TripOptions } from '../src/device/sim/trips.js';
import { FakePaymentGateway } from './fake-payment-gateway.js';
import { platformCart } from './platform-cart.js';
import { eventually, fleetDataDir, provisionDevice, startTestPlatform } from './platform.js';

// What the end-to-end trip tests (src/device/sim/trips-*.engine.test.ts) share: a trip run over
// real MQTT into the embedded platform, and the clocks and cart wrappers they drive it with. It
// lives here rather than beside them because everything under src that is not a test is built.

// A loaded host (the whole suite in parallel) may need seconds for the dying cart's last sync.
export const CALM = {
  pauseAfterMs: 3_600_000,
  sleepAfterMs: 7_200_000,
  idleSleepAfterMs: 7_200_000,
  lastSyncRealMs: 10_000,
};

export async function runTrip(
  t: TestContext,
  name: TripName,
  options: TripOptions & { speed?: number; timing?: Record<string, number> } = {},
) {
  const data = await fleetDataDir(t);
  const dirA = await provisionDevice(data, 'CART-E2E-A');
  const dirB = await provisionDevice(data, 'CART-E2E-B');
  // Card taps resolve through the payment service: a battery swap is identified by the card.
  const platform = await startTestPlatform(
    t,
    data,
    {},
    { paymentGateway: new FakePaymentGateway() },
  );
  const clock = new ScaledClock({ speed: options.speed ?? 600 });
  const timing = { lastSyncRealMs: 10_000, ...(options.timing ?? CALM) };
  const cart = await platformCart(t, platform, dirA, clock, { timing });
  const spare = await platformCart(t, platform, dirB, clock, { timing: CALM });
  await cart.powerOn();
  const ctx: TripContext = { clock, random: mulberry32(5), spareCart: () => spare };
  const result = await TRIPS[name](cart, ctx, {
    items: 5,
    dwellMs: [5_000, 15_000],
    ...options,
  });
  // A dead cart delivers nothing more; its last sync is checked through the cloud below.
  if (cart.state !== 'dead') {
    const delivered = await cart.flush(10_000);
    assert.ok(
      delivered,
      `everything delivered (${cart.buffered} queued, ${cart.state}, ${cart.link})`,
    );
  }
  if (spare.state !== 'off') assert.ok(await spare.flush(10_000));
  const session = async (id: string | undefined, status: string) => {
    assert.ok(id);
    return eventually(async () => {
      const s = await platform.entities.getSession(id);
      return s?.status === status ? s : undefined;
    }, `session ${status}`);
  };
  return { platform, cart, spare, result, session };
}

/**
 * A cart clock a day behind the cloud's. The cloud stamps commands with a 5-minute expiry in
 * its own (real) time, while a cart at simulation speed runs minutes ahead after a real second
 * and would reject them as expired; a day behind, the cart stays behind real time for the run.
 */
export function behindTheCloud(speed = 600): ScaledClock {
  return new ScaledClock({ speed, start: Date.now() - 86_400_000 });
}

/**
 * The cart as a trip drives it, except that each tap resolves only after `then`: a customer who
 * waits for the display to answer. Everything else is the cart itself (`instanceof Cart` holds).
 */
export function afterEachTap(cart: Cart, then: () => Promise<void>): Cart {
  return new Proxy(cart, {
    get(target, property) {
      if (property === 'tap') {
        return async (credential: Parameters<Cart['tap']>[0]) => {
          const outcome = await target.tap(credential);
          await then();
          return outcome;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}
