// A cart on an in-memory broker and device API with a real software key and a flash directory of
// its own, on a fast simulated clock: what the cart's unit tests and trip tests drive.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { SessionEnd } from '../src/contract/index.js';
import { Cart, type CartOptions, type CartTiming } from '../src/device/cart/cart.js';
import type { CartObserver, StoreSite } from '../src/device/cart/fleet-cart.js';
import { ScaledClock, type SimClock } from '../src/device/clock/sim-clock.js';
import { SoftwareKeystore } from '../src/device/secure-element/software-keystore.js';
import { Shelf } from '../src/device/sim/shelf.js';
import { FakeBroker } from './fake-broker.js';
import { FakeDeviceApi } from './fake-device-api.js';

export const SITE: StoreSite = {
  storeId: 'berlin-1',
  currency: 'EUR',
  geofence: { lat: 52.52, lon: 13.405, radiusM: 80 },
};

export const SHELF = new Shelf();

export interface TestCart {
  readonly cart: Cart;
  readonly broker: FakeBroker;
  /** Seal key and checkout; set `serveSealKey` or `checkoutFailure` before the cart needs them. */
  readonly api: FakeDeviceApi;
  /** Session-ends the cloud holds: over MQTT or accepted at checkout, in counter order. */
  sessionEnds(): SessionEnd[];
  readonly clock: SimClock;
  readonly dir: string;
  readonly warnings: { fields: Record<string, unknown>; message: string }[];
}

export async function testCart(
  t: TestContext,
  options: {
    deviceId?: string;
    speed?: number;
    timing?: Partial<CartTiming>;
    observer?: CartObserver;
    clock?: SimClock;
    dir?: string;
    batteryPct?: number;
    /** Another cart's device API (one identity service for both); default: a new one. */
    api?: FakeDeviceApi;
    extra?: Partial<CartOptions>;
  } = {},
): Promise<TestCart> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'cart-')));
  const deviceId = options.deviceId ?? 'CART-0001';
  const keystore =
    (await SoftwareKeystore.open(join(dir, 'se'))) ??
    (await SoftwareKeystore.create(join(dir, 'se')));
  const broker = new FakeBroker(deviceId, keystore.publicKeySpki());
  const api = options.api ?? new FakeDeviceApi();
  api.registerDevice(deviceId, keystore.publicKeySpki());
  const clock = options.clock ?? new ScaledClock({ speed: options.speed ?? 600 });
  const warnings: TestCart['warnings'] = [];
  const cart = await Cart.create({
    credentials: {
      deviceId,
      deviceClass: 'cart',
      secureElement: keystore,
      certChainPem: '',
      trustPem: '',
    },
    flashDir: join(dir, 'flash'),
    site: SITE,
    clock,
    link: broker.factory,
    deviceApi: api,
    seedCatalog: SHELF.catalog(SITE.storeId),
    log: { warn: (fields, message) => warnings.push({ fields, message }) },
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.batteryPct !== undefined ? { batteryPct: options.batteryPct } : {}),
    ...options.extra,
  });
  // The cart stops before its flash directory goes.
  t.after(async () => {
    await cart.shutdown();
    if (!options.dir) await rm(dir, { recursive: true, force: true });
  });
  const sessionEnds = () =>
    [...broker.of('session-end'), ...api.accepted.filter((m) => m.device_id === deviceId)].sort(
      (a, b) => a.counter - b.counter,
    );
  return { cart, broker, api, sessionEnds, clock, dir, warnings };
}

/** Polls (real time) until `check` holds. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
