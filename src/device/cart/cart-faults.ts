import type { BatteryCliff } from './battery-cliff.js';
import type { CartLink } from './cart-link.js';
import type { CartFaults } from './fleet-cart.js';
import type { Radios } from './radios.js';
import type { CartScan } from './scan.js';
import type { Scanner } from './scanner.js';
import type { WeightPlatform } from './weight.js';

/** The cart's parts a fault reaches; the firmware's own flows never call these. */
export interface FaultedParts {
  readonly radios: Radios;
  readonly weight: WeightPlatform;
  readonly scanner: Scanner;
  readonly link: CartLink;
  readonly cliff: BatteryCliff;
  readonly scan: CartScan;
  /** A dead cart with a fresh pack can be switched on again. */
  revive(): void;
}

/**
 * What the simulator and tests do to a cart from outside. Kept apart from the firmware so that
 * the cart's own surface is what a customer and the cloud can do to it.
 */
export function cartFaults(parts: FaultedParts): CartFaults {
  return {
    setWifi(up) {
      parts.radios.setWifi(up);
      void parts.link.uplink.reconcile();
    },
    setCellular(up) {
      parts.radios.setCellular(up);
      void parts.link.uplink.reconcile();
    },
    setClockSkew: (ms) => parts.link.setClockSkew(ms),
    setPayloadCorruption: (rate) => parts.link.setCorruption(rate),
    miscalibrateWeight: (offsetG) => parts.weight.miscalibrate(offsetG),
    drainBatteryToCliff: () => parts.cliff.drain(),
    jamScanner: () => parts.scanner.jam(),
    clearScannerJam: () => parts.scan.clearJam(),
    swapBattery(pct = 100) {
      parts.cliff.swap(pct);
      parts.revive();
    },
  };
}
