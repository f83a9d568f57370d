import type { SessionEnd, SessionLine } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import { Basket } from './basket.js';
import type { CartState, CustomerInRam } from './cart-types.js';
import type { Display } from './display.js';
import type { HeldSession } from './flash.js';
import { sessionEndMessage, sessionStartMessage, type MessageBody } from './messages.js';
import type { Battery } from './power.js';
import { markList } from './shopping-list.js';
import { refusalIn } from './states.js';
import type { CartTiming } from './timing.js';
import type { CartTimer, NamedTimers } from './timers.js';
import type { Uplink } from './uplink.js';

/** What the session lifecycle needs from the cart, and nothing more. */
export interface SessionHost {
  readonly display: Display;
  readonly battery: Battery;
  readonly clock: SimClock;
  readonly timers: NamedTimers<CartTimer>;
  readonly timing: CartTiming;
  readonly currency: string;
  state(): CartState;
  setState(state: CartState): void;
  /** The shadow asks for maintenance mode: a cart whose session ends goes into it. */
  maintenance(): boolean;
  writeSession(held: HeldSession | undefined): Promise<void>;
  emit(body: MessageBody, persistent?: boolean): Promise<unknown>;
  health(): void;
  /** The uplink in use now: a reboot replaces it. */
  uplink(): Uplink;
}

/**
 * One shopping session from start to end, and the countdowns around it: no customer action for
 * a while pauses the session, a while longer puts the cart to deep sleep with the session held
 * in flash; a customer back at the cart wakes it and resumes. The basket and the customer live
 * here, in RAM; flash holds only the basket.
 */
export class CartSession {
  basket: Basket | undefined;
  /** RAM only: who the customer is, for this session. */
  customer: CustomerInRam | undefined;
  #write: Promise<void> = Promise.resolve();

  constructor(private readonly host: SessionHost) {}

  /** What flash held at boot: a session paused before the power went, or none. */
  restore(held: HeldSession | undefined): void {
    this.basket = held ? Basket.fromHeld(held) : undefined;
  }

  /** Resolves once the last write of the session to flash is done. */
  settled(): Promise<void> {
    return this.#write;
  }

  /** Wakes a sleeping cart, resumes a held session, leaves the dock. */
  async readyForCustomer(): Promise<boolean> {
    const host = this.host;
    if (refusalIn(host.state())) return false;
    if (host.state() === 'sleep') await this.wake();
    if (host.state() === 'charging') host.setState('idle');
    if (this.basket && host.state() === 'paused') await this.resume();
    return true;
  }

  async start(): Promise<string> {
    const host = this.host;
    const basket = Basket.fresh(host.clock.now());
    this.basket = basket;
    this.customer = undefined;
    host.setState('active');
    host.display.show({ screen: 'shopping', lines: [], totalCents: 0 });
    await this.save();
    void host.emit(sessionStartMessage(basket.sessionId, 'new', this.#batteryRounded()));
    return basket.sessionId;
  }

  async resume(): Promise<void> {
    const basket = this.basket;
    if (!basket) return;
    this.host.setState('active');
    this.showBasket();
    await this.save();
    void this.host.emit(sessionStartMessage(basket.sessionId, 'resume', this.#batteryRounded()));
  }

  async pause(): Promise<void> {
    const host = this.host;
    if (!this.basket || host.state() !== 'active') return;
    host.setState('paused');
    host.display.show({ screen: 'paused' });
    await this.save();
    host.health();
  }

  async end(
    status: SessionEnd['status'],
    payment: SessionEnd['payment'],
    persistent = true,
  ): Promise<void> {
    await this.close(status, payment, (body) => this.host.emit(body, persistent));
  }

  /** Ends the open session: `send` signs its session-end (and queues it, or not). */
  async close<T>(
    status: SessionEnd['status'],
    payment: SessionEnd['payment'],
    send: (body: MessageBody) => Promise<T>,
  ): Promise<T | undefined> {
    const host = this.host;
    const basket = this.basket;
    if (!basket) return undefined;
    this.basket = undefined;
    // The customer goes with the session: credential, customer id, name, pre-shop list.
    this.customer = undefined;
    const ended = send(sessionEndMessage(basket, status, host.currency, payment));
    await this.save();
    const signed = await ended;
    if (host.state() === 'active' || host.state() === 'paused') {
      host.setState(host.maintenance() ? 'maintenance' : 'idle');
      host.display.reset('welcome');
      host.health();
      this.activity();
    }
    return signed;
  }

  /** Lines carried over from a session on another cart (after a battery swap). */
  async carry(lines: readonly SessionLine[]): Promise<void> {
    const basket = this.basket!;
    for (const line of lines) basket.add(line);
    if (lines.length) {
      this.showBasket();
      await this.save();
    }
  }

  save(): Promise<void> {
    const state = this.host.state();
    const held = this.basket?.held(state === 'active' ? 'active' : 'paused') ?? undefined;
    this.#write = this.#write.then(() => this.host.writeSession(held)).catch(() => undefined);
    return this.#write;
  }

  showBasket(lastItem?: string): void {
    const basket = this.basket;
    if (!basket) return;
    this.host.display.show({
      screen: this.host.state() === 'paused' ? 'paused' : 'shopping',
      lines: basket.lines,
      list: markList(this.customer?.shoppingList, basket.lines),
      totalCents: basket.totalCents,
      ...(lastItem ? { lastItem } : {}),
    });
  }

  /** A customer did something: the pause and sleep countdowns start over. */
  activity(): void {
    const { timers, timing: t } = this.host;
    timers.cancel('activity');
    const state = this.host.state();
    if (state === 'active') {
      timers.after('activity', t.pauseAfterMs, () => {
        void this.pause().then(() => {
          timers.after(
            'activity',
            Math.max(0, t.sleepAfterMs - t.pauseAfterMs),
            () => void this.sleep(),
          );
        });
      });
    } else if (state === 'paused') {
      timers.after('activity', t.sleepAfterMs, () => void this.sleep());
    } else if (state === 'idle') {
      timers.after('activity', t.idleSleepAfterMs, () => void this.sleep());
    }
  }

  /** Deep sleep: the session (if any) is held in flash, RAM and radio go. */
  async sleep(): Promise<void> {
    const host = this.host;
    if (!['idle', 'active', 'paused', 'maintenance'].includes(host.state())) return;
    if (host.state() === 'active') await this.pause();
    host.timers.cancel('activity');
    // The basket is taken for flash now; the cart is asleep from this moment, not from whenever
    // the write finishes (on a busy host that could be simulated minutes later).
    const saved = this.save();
    host.setState('sleep');
    host.health();
    host.display.reset('off');
    await saved;
    // A moment for the last messages, then the radio is off.
    await host.uplink().flush(500);
    if (host.state() !== 'sleep') return;
    // Radio off, the RAM queue kept: sleep is not a power loss. A paid session-end waiting in RAM for a
    // link (its checkout post failed as the store went offline) goes out when the cart wakes
    // (decision 050); only a reboot, a shutdown or a flat pack loses it.
    await host.uplink().powerDown();
    this.customer = undefined;
  }

  async wake(): Promise<void> {
    const host = this.host;
    if (host.state() !== 'sleep') return;
    host.setState(this.basket ? 'paused' : 'idle');
    if (this.basket) this.showBasket();
    else host.display.reset('welcome');
    await host.uplink().powerUp();
    host.health();
    this.activity();
  }

  #batteryRounded(): number {
    return Math.round(this.host.battery.pct(this.host.clock.now()) * 10) / 10;
  }
}
