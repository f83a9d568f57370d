import type { SessionEnd } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import type { CartState, CustomerInRam } from './cart-types.js';
import type { Display } from './display.js';
import { NO_PAYMENT, type MessageBody } from './messages.js';
import { BATTERY_WARNING_PCT, type Battery } from './power.js';
import type { CartTiming } from './timing.js';
import type { CartTimer, NamedTimers } from './timers.js';
import type { Uplink } from './uplink.js';

/** What the battery's end needs from the cart, and nothing more. */
export interface CliffHost {
  readonly battery: Battery;
  readonly display: Display;
  readonly clock: SimClock;
  readonly timers: NamedTimers<CartTimer>;
  readonly timing: CartTiming;
  state(): CartState;
  setState(state: CartState): void;
  sessionId(): string | undefined;
  customer(): CustomerInRam | undefined;
  emit(body: MessageBody): Promise<unknown>;
  /** Sends a health report now. */
  health(): void;
  endSession(status: SessionEnd['status'], payment: SessionEnd['payment']): Promise<void>;
  /** The uplink in use now: a reboot replaces it. */
  uplink(): Uplink;
  /** A power loss: what waited in RAM is gone. */
  forgetRam(): void;
  forgetCustomer(): void;
}

/**
 * The battery cliff: below the warning level the display asks the customer to move to another
 * cart and tap a card there, so the cloud can carry the basket over; the session ends as
 * transferred, a last sync sends what is left, and at empty the BMS cuts off. A timer watches
 * the charge so the warning comes on time even when nobody touches the cart.
 */
export class BatteryCliff {
  #warned = false;
  #transferring = false;
  #transferDone: Promise<void> = Promise.resolve();

  constructor(private readonly host: CliffHost) {}

  /** The session is on its way to another cart: nothing else may end it. */
  get transferring(): boolean {
    return this.#transferring;
  }

  /** Arms the watch for the next threshold (the warning, then empty) in the current state. */
  arm(): void {
    const host = this.host;
    host.timers.cancel('battery');
    const state = host.state();
    if (state === 'off' || state === 'dead') return;
    const now = host.clock.now();
    const ms = host.battery.msUntil(this.#warned ? 0 : BATTERY_WARNING_PCT, now);
    if (!Number.isFinite(ms)) return;
    host.timers.after('battery', ms + 1000, () => this.check());
  }

  check(): void {
    const host = this.host;
    if (host.state() === 'off' || host.state() === 'dead') return;
    const pct = host.battery.pct(host.clock.now());
    if (pct <= 0) {
      void this.#die();
      return;
    }
    if (pct < BATTERY_WARNING_PCT && !this.#warned) {
      this.#warned = true;
      void this.#onCliff();
    } else if (pct >= BATTERY_WARNING_PCT && this.#warned && host.state() === 'charging') {
      this.#warned = false;
      host.display.clearWarning('battery-swap');
    }
    this.arm();
  }

  /** A test drains the pack to just above the warning level. */
  drain(): void {
    this.host.battery.reset(BATTERY_WARNING_PCT + 0.3, this.host.clock.now());
    this.#warned = false;
    this.arm();
  }

  /** A fresh pack: the warning goes. */
  swap(pct: number): void {
    this.host.battery.reset(pct, this.host.clock.now());
    this.#warned = false;
    this.#transferring = false;
    this.host.display.clearWarning('battery-swap');
  }

  /** A card at the reader after the warning: the cloud can now find the customer elsewhere. */
  onTap(): void {
    if (this.#warned && this.host.sessionId() !== undefined && !this.#transferring) {
      void this.#transfer();
    }
  }

  async #onCliff(): Promise<void> {
    const host = this.host;
    host.display.warn('battery-swap');
    // The charge that set the warning goes to the cloud now: a cart in a session may transfer
    // and cut off before its next periodic report, and the fleet's battery alarm reads health.
    host.health();
    const sessionId = host.sessionId();
    void host.emit({
      type: 'fault',
      code: 'battery-cliff',
      severity: 'critical',
      ...(sessionId !== undefined ? { session_id: sessionId } : {}),
    });
    if (sessionId === undefined) return;
    host.display.warn('tap-card-to-transfer');
    if (host.customer()?.credential) {
      await this.#transfer();
      return;
    }
    host.timers.after('cliff', host.timing.cliffGraceMs, () => void this.#transfer());
  }

  /** Resolves once a transfer under way has ended with the cut-off (at once when none is). */
  async settled(): Promise<void> {
    await this.#transferDone;
  }

  #transfer(): Promise<void> {
    if (this.#transferring || this.host.sessionId() === undefined) return this.#transferDone;
    this.#transferring = true;
    this.#transferDone = this.#runTransfer();
    return this.#transferDone;
  }

  async #runTransfer(): Promise<void> {
    const host = this.host;
    host.timers.cancel('cliff');
    await host.endSession('transferred', NO_PAYMENT);
    await host.uplink().flush(host.timing.lastSyncRealMs);
    await this.#die();
  }

  /** The BMS cuts off: nothing runs until the pack is swapped. */
  async #die(): Promise<void> {
    const host = this.host;
    if (host.state() === 'dead') return;
    host.timers.cancelAll();
    // Every timer is gone and a dead cart arms none: this only records the draw.
    host.setState('dead');
    await host.uplink().powerDown();
    host.forgetRam();
    host.forgetCustomer();
    host.display.reset('off');
  }
}
