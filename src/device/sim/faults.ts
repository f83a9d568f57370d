import type { FleetCart } from '../cart/fleet-cart.js';
import type { SimClock, SimTimer } from '../clock/sim-clock.js';
import type { Random } from '../random.js';

interface Timed {
  /** Simulated ms after the run starts. */
  readonly atMs: number;
  /** Share of the fleet's carts it hits, 0 to 1 (at least one cart when above 0). */
  readonly fraction: number;
}

/** A fault the simulator injects through FleetCart's hooks. */
export type FaultSpec =
  | (Timed & { readonly kind: 'wifi-down'; readonly forMs: number })
  | (Timed & { readonly kind: 'links-down'; readonly forMs: number })
  | (Timed & { readonly kind: 'battery-cliff' })
  | (Timed & { readonly kind: 'clock-skew'; readonly skewMs: number })
  | (Timed & { readonly kind: 'corrupt-payloads'; readonly rate: number; readonly forMs?: number })
  | (Timed & { readonly kind: 'miscalibrated-weight'; readonly offsetG: number })
  /** Mid-session: a cart that is idle then reboots a minute into its next trip. */
  | (Timed & { readonly kind: 'reboot' });

export type FaultKind = FaultSpec['kind'];

export interface FaultHooks {
  isShopping(cart: FleetCart): boolean;
  /** Runs `fn` when the cart's next trip starts. */
  onNextTrip(cart: FleetCart, fn: () => void): void;
  applied(kind: FaultKind, cart: FleetCart): void;
  failed(kind: FaultKind, cart: FleetCart, error: unknown): void;
}

const REBOOT_INTO_TRIP_MS = 60_000;

/** Arms every fault on its carts (chosen with the run's seeded stream); returns the timers. */
export function scheduleFaults(
  specs: readonly FaultSpec[],
  carts: readonly FleetCart[],
  clock: SimClock,
  random: Random,
  hooks: FaultHooks,
): SimTimer[] {
  const timers: SimTimer[] = [];
  for (const spec of specs) {
    const hit = choose(carts, spec.fraction, random);
    timers.push(
      clock.after(spec.atMs, () => {
        for (const cart of hit) apply(spec, cart, clock, hooks, timers);
      }),
    );
  }
  return timers;
}

function apply(
  spec: FaultSpec,
  cart: FleetCart,
  clock: SimClock,
  hooks: FaultHooks,
  timers: SimTimer[],
): void {
  hooks.applied(spec.kind, cart);
  const later = (ms: number, fn: () => void) => timers.push(clock.after(ms, fn));
  switch (spec.kind) {
    case 'wifi-down':
      cart.faults.setWifi(false);
      later(spec.forMs, () => cart.faults.setWifi(true));
      break;
    case 'links-down':
      cart.faults.setWifi(false);
      cart.faults.setCellular(false);
      later(spec.forMs, () => {
        cart.faults.setWifi(true);
        cart.faults.setCellular(true);
      });
      break;
    case 'battery-cliff':
      cart.faults.drainBatteryToCliff();
      break;
    case 'clock-skew':
      cart.faults.setClockSkew(spec.skewMs);
      break;
    case 'corrupt-payloads':
      cart.faults.setPayloadCorruption(spec.rate);
      if (spec.forMs !== undefined) later(spec.forMs, () => cart.faults.setPayloadCorruption(0));
      break;
    case 'miscalibrated-weight':
      cart.faults.miscalibrateWeight(spec.offsetG);
      break;
    case 'reboot': {
      const reboot = () =>
        void cart.reboot().catch((error: unknown) => hooks.failed('reboot', cart, error));
      if (hooks.isShopping(cart)) reboot();
      else hooks.onNextTrip(cart, () => later(REBOOT_INTO_TRIP_MS, reboot));
      break;
    }
  }
}

/** The largest clock skew any fault gives a cart: how far device time may leave true time. */
export function maxSkewMs(specs: readonly FaultSpec[]): number {
  return Math.max(0, ...specs.map((s) => (s.kind === 'clock-skew' ? Math.abs(s.skewMs) : 0)));
}

/** A seeded share of `items`: at least one when `fraction` is above 0. */
export function choose<T>(items: readonly T[], fraction: number, random: Random): T[] {
  if (!(fraction > 0)) return [];
  const n = Math.min(items.length, Math.max(1, Math.round(fraction * items.length)));
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
