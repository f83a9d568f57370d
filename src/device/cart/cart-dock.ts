import type { DeviceMessage } from '../../contract/index.js';
import type { BatteryCliff } from './battery-cliff.js';
import type { CartParts } from './cart-hosts.js';
import type { CartState } from './cart-types.js';
import type { LatLon } from './geo.js';
import type { Uplink } from './uplink.js';
import type { WeightPlatform } from './weight.js';
import type { SimClock } from '../clock/sim-clock.js';

/** What docking touches: the cart's state, its pack and what staff do to it at the dock. */
export interface DockHost {
  readonly clock: SimClock;
  readonly weight: WeightPlatform;
  readonly home: LatLon;
  state(): CartState;
  setState(state: CartState): void;
  hasBasket(): boolean;
  uplink(): Uplink;
  cliff(): BatteryCliff;
  health(): Promise<DeviceMessage | undefined> | undefined;
  swapBattery(): void;
  /** Power on again with what flash holds (RAM, and the basket in it, is gone). */
  restart(): Promise<void>;
  moveTo(point: LatLon): Promise<void>;
  touch(): Promise<void>;
  abandon(): Promise<void>;
}

/** The dock's view of the cart: its parts, and what the cart itself does when staff act. */
export function dockHost(
  p: CartParts,
  cart: Pick<DockHost, 'swapBattery' | 'restart' | 'moveTo' | 'touch' | 'abandon'>,
): DockHost {
  return {
    ...cart,
    clock: p.clock,
    weight: p.weight,
    home: { lat: p.options.site.geofence.lat, lon: p.options.site.geofence.lon },
    state: p.state,
    setState: p.setState,
    hasBasket: () => p.session().basket !== undefined,
    uplink: () => p.link().uplink,
    cliff: p.cliff,
    health: p.health,
  };
}

/** Put on the dock: charges at 2 A, platform re-zeroed. */
export function dock(host: DockHost): void {
  const state = host.state();
  if (host.hasBasket() || state === 'off' || state === 'dead') return;
  host.weight.calibrate(host.clock.now());
  // On the dock there is power to spare: a sleeping cart wakes its radio and reports.
  if (state === 'sleep') void host.uplink().powerUp();
  host.setState('charging');
  void host.health();
}

/**
 * End of the day: staff bring the cart in, swap in a charged pack, close a session nobody came
 * back for and put the cart on the dock; a flat one boots again, so what its flash still holds
 * (a last sync the battery cut short) goes out.
 */
export async function returnToDock(host: DockHost): Promise<void> {
  const cliff = host.cliff();
  // A session on its way to another cart ends with the cut-off: staff find a flat cart.
  await cliff.settled();
  if (host.state() === 'dead') {
    host.swapBattery();
    await host.restart();
  } else if (!cliff.transferring) {
    // Staff swap in a charged pack at the end of the day, so nothing dies while it flushes.
    host.swapBattery();
  }
  // Switched off (a reboot that did not come back): staff switch it on.
  if (host.state() === 'off') await host.restart();
  if (host.state() === 'parked-outside') await host.moveTo(host.home);
  // A sleeping cart wakes; a session nobody came back for is closed as abandoned, so the cart
  // can go on the dock, stay awake and send what it holds.
  if (host.state() === 'sleep') await host.touch();
  await host.abandon();
  dock(host);
}
