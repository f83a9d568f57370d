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

/**
 * Signs each message with the cart's own time and next counter and queues it: in flash, or in
 * RAM when `persistent` is false. Messages are created one after another, in counter order.
 */
export class Outbox {
  #chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: OutboxDeps) {}

  emit(body: MessageBody, persistent = true): Promise<DeviceMessage | undefined> {
    const d = this.deps;
    const ts = d.ts();
    const uplink = d.uplink();
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
      await uplink.add(message, payload, persistent);
      return message;
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

  /** Resolves once every message asked for so far is queued (or given up). */
  async settled(): Promise<void> {
    await this.#chain;
  }
}
