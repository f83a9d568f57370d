import type { CommandRequest, DeviceMessage, OtaJob, ShadowDesired } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import type { Random } from '../random.js';
import type { CartOptions, CartState } from './cart-types.js';
import type { Display } from './display.js';
import type { CartRejection } from './fleet-cart.js';
import type { Flash } from './flash.js';
import type { MessageBody } from './messages.js';
import { Outbox, type SignedMessage } from './outbox.js';
import type { Battery } from './power.js';
import { PayloadCorruption } from './payload-corruption.js';
import type { Radios } from './radios.js';
import { Uplink } from './uplink.js';

/** What the link to the cloud needs from the cart, and nothing more. */
export interface LinkHost {
  readonly options: Pick<CartOptions, 'credentials' | 'link' | 'observer' | 'log' | 'deviceClock'>;
  readonly flash: Flash;
  readonly radios: Radios;
  readonly battery: Battery;
  readonly display: Display;
  readonly clock: SimClock;
  readonly random: Random;
  /** Between powerOn and shutdown: nothing is signed or written while the cart is off. */
  powered(): boolean;
  state(): CartState;
  command(request: CommandRequest): void;
  desired(document: ShadowDesired): void;
  job(document: OtaJob): void;
  /** The fleet roots the cart trusts now (two during a CA rotation). */
  trustPem(): string;
  health(): void;
}

/**
 * The cart's end of the link to the cloud: the outbox that signs each message with the cart's
 * own clock and counter, the uplink that carries it (a new one after each loss of RAM), and
 * what comes back: commands and the shadow go to the cart, refusals are counted and shown.
 */
export class CartLink {
  /** The cloud's rejections of this cart's messages, by reason. */
  readonly rejections = { total: 0, byReason: {} as Record<string, number> };
  #uplink: Uplink;
  #skewMs = 0;
  readonly #outbox: Outbox;
  /** Outlives each uplink: a message keeps its bytes across a reboot (see PayloadCorruption). */
  readonly #corruption: PayloadCorruption;

  constructor(private readonly host: LinkHost) {
    const o = host.options;
    this.#outbox = new Outbox({
      deviceId: o.credentials.deviceId,
      counter: host.flash.counter,
      sign: (body) => o.credentials.secureElement.sign(body),
      observer: o.observer,
      log: o.log,
      ts: () => new Date(this.deviceNow()).toISOString(),
      uplink: () => this.#uplink,
      powered: () => host.powered(),
    });
    this.#corruption = new PayloadCorruption(host.random, (message) =>
      o.observer?.corrupted?.(message),
    );
    this.#uplink = this.#newUplink();
  }

  /** The uplink in use now. */
  get uplink(): Uplink {
    return this.#uplink;
  }

  /** RAM is gone: a fresh uplink finds only what flash held. */
  renew(): void {
    this.#uplink = this.#newUplink();
  }

  /** The cart's own clock, skew included. */
  deviceNow(): number {
    const rtc = this.host.options.deviceClock;
    return (rtc ? rtc() : this.host.clock.now()) + this.#skewMs;
  }

  setClockSkew(ms: number): void {
    this.#skewMs = ms;
  }

  /** The corrupt-payloads fault: this share of messages goes out with a bit flipped. */
  setCorruption(rate: number): void {
    this.#corruption.setRate(rate);
  }

  emit(body: MessageBody, persistent = true): Promise<DeviceMessage | undefined> {
    return this.#outbox.emit(body, persistent);
  }

  /** Signs the next message without queueing it (see Outbox.sign). */
  sign(body: MessageBody): Promise<SignedMessage | undefined> {
    return this.#outbox.sign(body);
  }

  queue(signed: SignedMessage): Promise<boolean> {
    return this.#outbox.queue(signed);
  }

  /** Resolves once every message asked for so far is queued (or given up). */
  settled(): Promise<void> {
    return this.#outbox.settled();
  }

  /** A power loss: what waited in RAM (identify, a paid session-end) is gone; observers hear of it. */
  forgetRam(): void {
    for (const message of this.#uplink.forgetRam()) {
      this.#corruption.forget(message.counter);
      this.host.options.observer?.lost?.(message);
    }
  }

  rejected(rejection: CartRejection): void {
    const o = this.host.options;
    this.rejections.total++;
    this.rejections.byReason[rejection.reason] =
      (this.rejections.byReason[rejection.reason] ?? 0) + 1;
    o.log?.warn(
      {
        reason: rejection.reason,
        counter: rejection.counter,
        message_type: rejection.message_type,
        via: rejection.via,
      },
      'the cloud rejected a message',
    );
    this.host.display.show({ rejected: this.rejections.total });
    o.observer?.rejected?.(rejection);
  }

  #newUplink(): Uplink {
    const host = this.host;
    const uplink: Uplink = new Uplink(
      host.options.link,
      host.radios,
      host.flash,
      host.clock,
      this.#corruption,
      {
        command: (request) => host.command(request),
        desired: (document) => host.desired(document),
        job: (document) => host.job(document),
        trustPem: () => host.trustPem() || undefined,
        rejected: (feedback) => this.rejected({ ...feedback, via: 'mqtt' }),
        delivered: (message, replayed) => host.options.observer?.delivered?.(message, replayed),
        transmitted: (radio) => {
          if (radio === 'lte-m') host.battery.burst('lte-transmit', 300, host.clock.now());
        },
        linkChanged: (radio) => {
          if (uplink !== this.#uplink) return;
          if (radio === 'none') host.display.warn('offline');
          else {
            host.display.clearWarning('offline');
            // The cloud learns the new link at once, not at the next health tick.
            if (host.powered() && host.state() !== 'dead') host.health();
          }
        },
      },
    );
    return uplink;
  }
}
