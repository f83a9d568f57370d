import type { SessionEnd } from '../../contract/index.js';
import type { CartState } from './cart-types.js';
import type { Display } from './display.js';
import type { StoreSite } from './fleet-cart.js';
import { insideGeofence, type LatLon } from './geo.js';
import { NO_PAYMENT, type MessageBody } from './messages.js';
import type { Radios } from './radios.js';
import type { CartTiming } from './timing.js';
import type { CartTimer, NamedTimers } from './timers.js';
import type { Uplink } from './uplink.js';

/** What leaving the store and coming back need from the cart, and nothing more. */
export interface ParkedHost {
  readonly radios: Radios;
  readonly display: Display;
  readonly timers: NamedTimers<CartTimer>;
  readonly timing: CartTiming;
  readonly site: StoreSite;
  state(): CartState;
  setState(state: CartState): void;
  sessionId(): string | undefined;
  emit(body: MessageBody): Promise<unknown>;
  endSession(status: SessionEnd['status'], payment: SessionEnd['payment']): Promise<void>;
  /** The uplink in use now: a reboot replaces it. */
  uplink(): Uplink;
  health(): void;
  /** The pause and sleep countdowns start over. */
  activity(): void;
  forgetCustomer(): void;
}

/**
 * Where the cart stands, and what the store's geofence makes of it. Wheeled out with a session
 * open, the cart reports an exit without payment and abandons the session; outside it serves
 * nobody and sleeps, waking on a timer to report its GNSS position over LTE-M; back inside it
 * is an idle cart again.
 */
export class ParkedOutside {
  #location: LatLon;
  #inside = true;

  constructor(
    private readonly host: ParkedHost,
    location: LatLon,
  ) {
    this.#location = location;
  }

  get location(): LatLon {
    return this.#location;
  }

  get inside(): boolean {
    return this.#inside;
  }

  /** At boot: where the cart stands decides whether it serves customers. */
  boot(): boolean {
    this.#inside = insideGeofence(this.#location, this.host.site.geofence);
    this.host.radios.setInStore(this.#inside);
    return this.#inside;
  }

  /** The cart is wheeled somewhere; outside the geofence it parks and pings hourly. */
  async moveTo(point: LatLon): Promise<void> {
    const state = this.host.state();
    this.#location = point;
    const inside = insideGeofence(point, this.host.site.geofence);
    if (inside === this.#inside || state === 'off' || state === 'dead') {
      this.#inside = inside;
      return;
    }
    this.#inside = inside;
    if (!inside) await this.#leaveStore();
    else await this.#returnToStore();
  }

  /** Parked outside: no sessions; deep sleep, waking hourly to report where it is over LTE-M. */
  async park(): Promise<void> {
    const host = this.host;
    host.timers.cancel('activity');
    host.radios.setInStore(false);
    host.forgetCustomer();
    host.setState('parked-outside');
    host.display.reset('parked');
    const ping = async () => {
      if (host.state() !== 'parked-outside') return;
      await host.uplink().powerUp();
      host.health();
      await host.uplink().flush(2000);
      if (host.state() === 'parked-outside') await host.uplink().powerDown();
    };
    host.timers.every('parked', host.timing.parkedPingMs, () => void ping());
    await ping();
  }

  async #leaveStore(): Promise<void> {
    const host = this.host;
    const sessionId = host.sessionId();
    if (sessionId !== undefined) {
      void host.emit({
        type: 'fault',
        code: 'exit-without-payment',
        severity: 'critical',
        session_id: sessionId,
      });
      await host.endSession('abandoned', NO_PAYMENT);
    }
    await this.park();
  }

  async #returnToStore(): Promise<void> {
    const host = this.host;
    host.timers.cancel('parked');
    host.radios.setInStore(true);
    host.setState('idle');
    host.display.reset('welcome');
    await host.uplink().powerUp();
    host.health();
    host.activity();
  }
}
