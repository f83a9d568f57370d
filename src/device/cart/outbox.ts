import { encodeSigned, type DeviceMessage, type Signer } from '../../contract/index.js';
import type { CartLog } from './cart-types.js';
import type { CartObserver } from './fleet-cart.js';
import type { MessageBody } from './messages.js';
import type { Uplink } from './uplink.js';

/** What the outbox needs from the cart: identity, counter, clock, and where messages go. */
export interface OutboxDeps {
  readonly deviceId: string;
  readonly counter: { next(): Promise<number> };
  readonly sign: Signer;
  readonly observer?: CartObserver;
  readonly log?: CartLog;
  /** The cart's own time (skew included), as the message carries it. */
  ts(): string;
  /** The uplink in use now: a reboot replaces it. */
  uplink(): Uplink;
  /** Nothing is signed or written while the cart is off. */
  powered(): boolean;
}

/** A message with its counter and signature: exactly the bytes the broker or device API gets. */
export interface SignedMessage {
  readonly message: DeviceMessage;
  readonly payload: Uint8Array;
}

/**
 * Signs each message with the cart's own time and next counter and queues it: in flash, or in
 * RAM when `persistent` is false. Messages are created one after another, in counter order. A
 * message can also be signed and held (`sign`), for a caller that tries another way first and
 * queues it (`queue`) only if that fails.
 */
export class Outbox {
  #chain: Promise<unknown> = Promise.resolve();
  /** Which uplink's RAM a held message belongs to: after a power loss it is gone with it. */
  readonly #heldOn = new WeakMap<SignedMessage, Uplink>();

  constructor(private readonly deps: OutboxDeps) {}

  emit(body: MessageBody, persistent = true): Promise<DeviceMessage | undefined> {
    const uplink = this.deps.uplink();
    return this.#next(body, async (signed) => {
      await uplink.add(signed.message, signed.payload, persistent);
      return signed.message;
    });
  }

  /** Signs the next message (counted as created) without queueing it. */
  sign(body: MessageBody): Promise<SignedMessage | undefined> {
    const uplink = this.deps.uplink();
    return this.#next(body, (signed) => {
      this.#heldOn.set(signed, uplink);
      return Promise.resolve(signed);
    });
  }

  /**
   * Queues a message `sign` held, in RAM: it goes out in counter order among the rest. False
   * when the cart lost power since it was signed; the observer hears it was lost.
   */
  async queue(signed: SignedMessage): Promise<boolean> {
    const d = this.deps;
    const uplink = d.uplink();
    if (!d.powered() || this.#heldOn.get(signed) !== uplink) {
      d.observer?.lost?.(signed.message);
      return false;
    }
    await uplink.add(signed.message, signed.payload, false);
    return true;
  }

  /** Resolves once every message asked for so far is queued (or given up). */
  async settled(): Promise<void> {
    await this.#chain;
  }

  #next<T>(body: MessageBody, then: (signed: SignedMessage) => Promise<T>): Promise<T | undefined> {
    const d = this.deps;
    const ts = d.ts();
    const next = this.#chain.then(async () => {
      if (!d.powered()) return undefined;
      const counter = await d.counter.next();
      const { type, ...rest } = body;
      const message = {
        schema_version: 1,
        device_id: d.deviceId,
        type,
        counter,
        ts,
        ...rest,
      } as DeviceMessage;
      const payload = encodeSigned(message, d.sign);
      d.observer?.created?.(message);
      return then({ message, payload });
    });
    // A failed write (flash gone under a test, a full disk) is logged, never thrown at a
    // customer action that did not wait for it.
    const safe = next.catch((error: unknown) => {
      d.log?.warn({ err: String(error), type: body.type }, 'could not queue a message');
      return undefined;
    });
    this.#chain = safe;
    return safe;
  }
}
