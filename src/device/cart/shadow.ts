import type { ShadowDesired, ShadowState } from '../../contract/index.js';
import type { CatalogCache } from './catalog-cache.js';
import type { CartState } from './cart-types.js';
import type { Display } from './display.js';
import { shadowReportMessage, type MessageBody } from './messages.js';
import { healthEveryMs, type CartTiming } from './timing.js';
import type { CartTimer, NamedTimers } from './timers.js';
import { hashSeed } from '../random.js';

/** What the device shadow needs from the cart, and nothing more. */
export interface ShadowHost {
  readonly deviceId: string;
  readonly display: Display;
  readonly timers: NamedTimers<CartTimer>;
  readonly timing: CartTiming;
  readonly catalog: CatalogCache;
  /** The running firmware: after an OTA reboot it is the new slot's version. */
  firmware(): string;
  caGenerations(): readonly number[];
  state(): CartState;
  setState(state: CartState): void;
  sessionId(): string | undefined;
  emit(body: MessageBody): Promise<unknown>;
  health(): void;
}

/**
 * The device shadow: the cloud's desired state (maintenance mode, health intervals, catalog
 * version) is applied as far as the cart can, and reported back with what it actually is. The
 * desired state stays in RAM; the cloud sends it again on every connection.
 */
export class CartShadow {
  #desired: ShadowState = {};
  /** The desired version last applied (0: none yet this boot). */
  #version = 0;

  constructor(private readonly host: ShadowHost) {}

  /** The cloud wants the cart in maintenance mode: a session that ends leaves it there. */
  get maintenance(): boolean {
    return this.#desired.maintenance_mode === true;
  }

  /** Health reports at the state's interval, the shadow's when it sets one. */
  armHealth(): void {
    const host = this.host;
    host.timers.cancel('health');
    const every = healthEveryMs(host.state(), this.#desired, host.timing);
    if (every === undefined) return;
    host.timers.every('health', every, () => host.health());
  }

  async onDesired(document: ShadowDesired): Promise<void> {
    const host = this.host;
    if (document.device_id !== host.deviceId) return;
    // A document older than the one applied is a late redelivery: the newer one stands.
    if (document.version < this.#version) return;
    // Each document is the whole desired state (the cloud merges): a key it no longer holds was
    // removed, and falls back to the cart's own default.
    const desired = document.desired;
    this.#desired = { ...desired };
    this.#version = document.version;
    if (
      desired.maintenance_mode === true &&
      host.sessionId() === undefined &&
      host.state() === 'idle'
    ) {
      host.setState('maintenance');
      host.display.reset('maintenance');
    } else if (desired.maintenance_mode !== true && host.state() === 'maintenance') {
      host.setState('idle');
      host.display.reset('welcome');
    } else this.armHealth();
    const catalog = desired.catalog_version;
    if (catalog === undefined || catalog === host.catalog.version) {
      host.timers.cancel('catalog');
      void this.report();
      return;
    }
    // The report waits for the fetch, so it names the catalog the cart now holds.
    host.timers.after('catalog', catalogDelayMs(host.deviceId, catalog, host.timing), () => {
      void host.catalog.sync().then(() => this.report());
    });
  }

  /** Reports the cart as it stands now: after a desired document, or when its trust changed. */
  report(): Promise<unknown> {
    const host = this.host;
    return host.emit(
      shadowReportMessage(this.#version, this.#desired, {
        maintenance: host.state() === 'maintenance',
        firmware: host.firmware(),
        catalogVersion: host.catalog.version,
        caGenerations: host.caGenerations(),
      }),
    );
  }
}

/**
 * This cart's wait before it fetches a new catalog version: spread evenly over a store's carts
 * by their ids, and fixed for a cart and version, so a redelivered document does not move it.
 */
export function catalogDelayMs(deviceId: string, version: string, timing: CartTiming): number {
  return (hashSeed(`${deviceId}:${version}`) / 2 ** 32) * timing.catalogSpreadMs;
}
