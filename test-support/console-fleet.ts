// A small fleet in two stores for the console's browser stories: the embedded platform on
// loopback HTTP (as `fleetplane demo` serves it) with real cart models connected over MQTT with
// mutual TLS, each recording the commands and desired shadow documents the cloud sends it.
import type { TestContext } from 'node:test';
import type { CommandRequest, ShadowDesired } from '../src/contract/index.js';
import type { Cart } from '../src/device/cart/cart.js';
import { ScaledClock } from '../src/device/clock/sim-clock.js';
import { loadProvisionedDevice } from '../src/device/link/device-link.js';
import { mqttLinkFactory } from '../src/device/cart/uplink.js';
import type { RunningPlatform } from '../src/platform/platform.js';
import { startConsolePlatform } from './console-platform.js';
import { platformCart, PLATFORM_SITE, recordingCommands } from './platform-cart.js';
import { fleetDataDir, provisionDevice, runCli, STORE } from './platform.js';
import { SHELF } from './test-cart.js';
import { CALM } from './trip-engine.js';

export const STORE_A = STORE;
export const STORE_B = 'paris-1';

export interface FleetCartHandle {
  readonly cart: Cart;
  /** Every command the cloud delivered to the cart, in order. */
  readonly commands: CommandRequest[];
  /** Every desired shadow document the cloud delivered to the cart, in order. */
  readonly desired: ShadowDesired[];
}

export interface TwoStoreFleet {
  readonly data: string;
  readonly platform: RunningPlatform;
  readonly carts: Record<string, FleetCartHandle>;
}

/**
 * Store A (berlin-1) and store B (paris-1), each with the carts named, powered on and reporting
 * health. Carts run on a real-time clock with long inactivity timers (CALM), so commands stamped
 * by the cloud are current for them and nothing pauses or sleeps on its own during a story.
 */
export async function twoStoreFleet(
  t: TestContext,
  cartsByStore: { readonly [STORE_A]: readonly string[]; readonly [STORE_B]: readonly string[] },
): Promise<TwoStoreFleet> {
  const data = await fleetDataDir(t);
  await runCli('store', 'add', '--data', data, '--id', STORE_B, '--name', 'Paris 1');
  const dirs: [string, string, string][] = [];
  for (const [store, ids] of Object.entries(cartsByStore)) {
    for (const id of ids) dirs.push([store, id, await provisionDevice(data, id, 'cart', store)]);
  }
  const platform = await startConsolePlatform(t, data);
  const clock = new ScaledClock({ speed: 1 });
  const carts: Record<string, FleetCartHandle> = {};
  for (const [store, id, dir] of dirs) {
    const credentials = await loadProvisionedDevice(dir);
    const recording = recordingCommands(mqttLinkFactory(platform.mqttUrl, credentials));
    // Spread over the store's floor (metres apart, inside the geofence) for the floor view.
    const n = cartsByStore[store as keyof typeof cartsByStore].indexOf(id);
    const { lat, lon } = PLATFORM_SITE.geofence;
    const location = { lat: lat + 0.0001 * [0, 2, 1, 3][n % 4]!, lon: lon + 0.00015 * n };
    const cart = await platformCart(t, platform, dir, clock, {
      timing: CALM,
      link: recording.factory,
      location,
      site: { ...PLATFORM_SITE, storeId: store },
      seedCatalog: SHELF.catalog(store),
    });
    await cart.powerOn();
    carts[id] = { cart, commands: recording.commands, desired: recording.desired };
  }
  return { data, platform, carts };
}
