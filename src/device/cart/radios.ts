import type { Random } from '../random.js';

export type Radio = 'wifi' | 'lte-m';
export type LinkKind = Radio | 'none';

/** LTE-M's round trip, the PRD's 200–400 ms, added to each publish over it. */
export const LTE_LATENCY_MS: readonly [number, number] = [200, 400];

/**
 * The cart's two radios. WiFi is primary; LTE-M takes over when WiFi is down or out of reach
 * (outside the store); with both down the cart stores and forwards. The store's network being up
 * is the simulator's to say (setWifi/setCellular); the cart only chooses among what works.
 */
export class Radios {
  #wifi = true;
  #cellular = true;
  #inStore = true;

  constructor(private readonly random: Random) {}

  setWifi(up: boolean): void {
    this.#wifi = up;
  }

  setCellular(up: boolean): void {
    this.#cellular = up;
  }

  /** Outside the store the in-store WiFi is out of reach. */
  setInStore(inStore: boolean): void {
    this.#inStore = inStore;
  }

  get wifiUsable(): boolean {
    return this.#wifi && this.#inStore;
  }

  get cellularUsable(): boolean {
    return this.#cellular;
  }

  best(): LinkKind {
    if (this.wifiUsable) return 'wifi';
    if (this.cellularUsable) return 'lte-m';
    return 'none';
  }

  /** Simulated latency a publish over `radio` adds. */
  latencyMs(radio: Radio): number {
    if (radio === 'wifi') return 0;
    const [lo, hi] = LTE_LATENCY_MS;
    return Math.round(lo + this.random() * (hi - lo));
  }

  rssiDbm(radio: LinkKind): number | undefined {
    if (radio === 'none') return undefined;
    const base = radio === 'wifi' ? -58 : -97;
    return Math.round(base - this.random() * 12);
  }
}
