import type { ShadowState } from '../../contract/index.js';
import type { CartState } from './cart-types.js';

/** Simulated durations the firmware works with. */
export interface CartTiming {
  /** No customer action for this long: the session pauses. */
  readonly pauseAfterMs: number;
  /** ...and for this long: the cart sleeps, holding the session in flash. */
  readonly sleepAfterMs: number;
  /** An idle cart without a session sleeps after this long. */
  readonly idleSleepAfterMs: number;
  readonly healthActiveMs: number;
  readonly healthIdleMs: number;
  /** Parked outside the store: a GNSS ping this often. */
  readonly parkedPingMs: number;
  /** Battery cliff: how long the display waits for a card tap before it transfers anyway. */
  readonly cliffGraceMs: number;
  /** Real ms the last sync before a flat battery may take. */
  readonly lastSyncRealMs: number;
  /** A new firmware image must mark itself good within this, or the bootloader rolls it back. */
  readonly markGoodWithinMs: number;
  /**
   * A new catalog version in the shadow: the cart fetches it after a delay of its own below
   * this, so a store's carts, told at once, do not all ask the device API in the same moment.
   */
  readonly catalogSpreadMs: number;
}

export const DEFAULT_TIMING: CartTiming = {
  pauseAfterMs: 3 * 60_000,
  sleepAfterMs: 5 * 60_000,
  idleSleepAfterMs: 20 * 60_000,
  healthActiveMs: 60_000,
  healthIdleMs: 5 * 60_000,
  parkedPingMs: 60 * 60_000,
  cliffGraceMs: 2 * 60_000,
  lastSyncRealMs: 3000,
  markGoodWithinMs: 10 * 60_000,
  catalogSpreadMs: 5000,
};

/** How often a cart in this state reports health: the shadow's interval wins over the default. */
export function healthEveryMs(
  state: CartState,
  desired: ShadowState,
  timing: CartTiming,
): number | undefined {
  switch (state) {
    case 'active':
    case 'paused':
      return desired.health_interval_s !== undefined
        ? desired.health_interval_s * 1000
        : timing.healthActiveMs;
    case 'idle':
    case 'charging':
    case 'maintenance':
      return desired.idle_health_interval_s !== undefined
        ? desired.idle_health_interval_s * 1000
        : timing.healthIdleMs;
    default:
      return undefined;
  }
}
