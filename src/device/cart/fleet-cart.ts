import type { DeviceMessage } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';

/**
 * The cloud refused one of the cart's messages: on the error topic (an ErrorFeedback, `reason`
 * one of the contract's RejectReason codes) or in a device API's 400 answer (`reason` the answer's
 * error code, which the contract does not close).
 */
export interface CartRejection {
  readonly reason: string;
  readonly counter?: number;
  readonly message_type?: string;
  readonly detail: string;
  /** Where the refusal came from; absent: the error topic. */
  readonly via?: 'mqtt' | 'device-api';
}

/**
 * What a cart tells whoever watches it (the fleet simulator's ledger, a test). Every callback is
 * optional and synchronous; an observer must not throw.
 */
export interface CartObserver {
  /** The cart signed a message: sent at once, or queued for store-and-forward. */
  created?(message: DeviceMessage): void;
  /** The broker acknowledged it; `replayed` when it had waited for a link first. */
  delivered?(message: DeviceMessage, replayed: boolean): void;
  /**
   * A message that waited in RAM (never in flash: it carried an identifier or a payment
   * reference) was lost when the cart lost power before a link returned.
   */
  lost?(message: DeviceMessage): void;
  /**
   * The cart sends this message with a bit flipped (the corrupt-payloads fault), on every copy:
   * the cloud will refuse it, whether or not its refusal comes back.
   */
  corrupted?(message: DeviceMessage): void;
  /** The cloud refused one of the cart's messages (devices/errors/<id>, or a device API 400). */
  rejected?(rejection: CartRejection): void;
  /** Trigger to item on the display, in real milliseconds; `online` when a link was up. */
  scanAcknowledged?(realMs: number, online: boolean): void;
}

/** Where the cart works: its store, fixed at installation (carts are paired to a store). */
export interface StoreSite {
  readonly storeId: string;
  readonly currency: string;
  /** Centre and radius of the store's geofence; outside it the cart refuses to shop. */
  readonly geofence: { readonly lat: number; readonly lon: number; readonly radiusM: number };
}

/** The fleet simulator's handle on one cart: lifecycle and the faults it can inject. */
export interface FleetCart {
  readonly deviceId: string;
  /** Messages waiting for a link (flash and RAM queues together). */
  readonly buffered: number;
  /** Boots: boot message, connects over the best link, syncs the catalog, starts health. */
  powerOn(): Promise<void>;
  /** End of the day: staff dock the cart, with a fresh pack if it went flat, so it can flush. */
  returnToDock(): Promise<void>;
  /** Waits until nothing is buffered (a link must be up); false when `timeoutMs` real ms passed. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Powers off cleanly: timers stop, the link closes; buffered messages stay in flash. */
  shutdown(): Promise<void>;
  /** Loses power and boots again at once: what was in RAM is gone, flash survives. */
  reboot(): Promise<void>;
  /** What the simulator and tests do to the cart from outside (cart-faults.ts). */
  readonly faults: CartFaults;
}

/** Faults injected from outside the firmware: links, clock, payloads, sensors, battery. */
export interface CartFaults {
  setWifi(up: boolean): void;
  setCellular(up: boolean): void;
  /** The cart's own clock runs this many ms ahead (negative: behind) of true time. */
  setClockSkew(ms: number): void;
  /** A fraction of outgoing payloads get a flipped byte after signing (a bad link, a bug). */
  setPayloadCorruption(rate: number): void;
  /** The weight platform reads this many grams off. */
  miscalibrateWeight(offsetG: number): void;
  /** Drains the battery to just above the warning threshold. */
  drainBatteryToCliff(): void;
  jamScanner(): void;
  /** Staff cleared the jam. */
  clearScannerJam(): void;
  /** A fresh pack: a dead cart can be powered on again. */
  swapBattery(pct?: number): void;
}

/** What a shopping trip script gets besides the cart. */
export interface TripContext {
  readonly clock: SimClock;
  /** Seeded, so a run can be repeated. */
  readonly random: () => number;
  /** Carts of the same store, for trips that move the customer to another cart. */
  readonly spareCart?: () => FleetCart | undefined;
  readonly signal?: AbortSignal;
}
