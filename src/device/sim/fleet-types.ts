import type { CartObserver, FleetCart, StoreSite, TripContext } from '../cart/fleet-cart.js';
import type { SimClock } from '../clock/sim-clock.js';

/** A provisioned cart as the simulator hands it to the factory. */
export interface CartIdentity {
  /** The device id: the factory serial, the CN of its certificate. */
  readonly serial: string;
  /** What `fleetplane provision --out` wrote: key, certificate chain, trust, device.json. */
  readonly credentialsDir: string;
  /** The cart's flash: counter, store-and-forward queue, held session, catalog cache. */
  readonly flashDir: string;
}

/**
 * How the simulator gets a cart without knowing its class: the cart model (src/cli/sim/
 * cart-factory.ts) or a test's fake. It may not power the cart on; the simulator does.
 * `clock` is the simulated world's time; `deviceClock` is what the cart's own clock shows, the
 * time it stamps on what it sends (see FleetOptions.deviceClock).
 */
export type CreateCart<C extends FleetCart = FleetCart> = (
  identity: CartIdentity,
  site: StoreSite,
  clock: SimClock,
  observer: CartObserver,
  deviceClock: () => number,
) => C | Promise<C>;

/** A customer's trip over a cart (trips.ts of the cart model provides the real ones). */
export type TripFn<C extends FleetCart = FleetCart> = (cart: C, ctx: TripContext) => Promise<void>;

export interface WeightedTrip<C extends FleetCart = FleetCart> {
  readonly name: string;
  /** Relative frequency among the scenario's trips. */
  readonly weight: number;
  readonly trip: TripFn<C>;
}

/** A named mix of trips: what `--scenario golden|edge|mixed` picks. */
export interface Scenario<C extends FleetCart = FleetCart> {
  readonly name: string;
  readonly trips: readonly WeightedTrip<C>[];
}
