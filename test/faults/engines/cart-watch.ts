// What each simulated cart was told: which of its messages the broker acknowledged (and which of
// those were replays from its buffer, in order), which the cloud refused, which it lost from RAM.
import type { DeviceMessage } from '../../../src/contract/index.js';
import type { Cart } from '../../../src/device/cart/cart.js';
import { Flash } from '../../../src/device/cart/flash.js';
import type { CartObserver } from '../../../src/device/cart/fleet-cart.js';
import type { CreateCart } from '../../../src/device/sim/fleet-types.js';
import { messageKey, type MessageKey } from './delivery-tally.js';

export interface CartWatch {
  readonly created: Map<number, DeviceMessage>;
  readonly acknowledged: Set<number>;
  /** Counters of replayed messages in the order their acknowledgements came. */
  readonly replayOrder: number[];
  /** Where the cart keeps its flash: what it still holds to send after the run is read there. */
  flashDir?: string;
}

export class FleetWatch {
  readonly carts = new Map<string, CartWatch>();
  /** Messages the cloud refused (not 'replay': see below), by key. */
  readonly refused = new Set<MessageKey>();
  readonly refusals: string[] = [];
  readonly lostFromRam: string[] = [];
  /**
   * A resend of a message the platform had stored (its PUBACK lost with the link) is answered
   * 'replay': the cloud's dedup at work, not a refusal of the message.
   */
  resendsAnsweredReplay = 0;

  /** Wraps a cart factory so every cart it makes reports here as well. */
  wrap(createCart: CreateCart<Cart>): CreateCart<Cart> {
    return async (identity, site, clock, observer, deviceClock) => {
      const watch: CartWatch = { created: new Map(), acknowledged: new Set(), replayOrder: [] };
      this.carts.set(identity.serial, watch);
      const tap: CartObserver = {
        ...observer,
        created: (message) => {
          observer.created?.(message);
          watch.created.set(message.counter, message);
        },
        delivered: (message, replayed) => {
          observer.delivered?.(message, replayed);
          watch.acknowledged.add(message.counter);
          if (replayed) watch.replayOrder.push(message.counter);
        },
        lost: (message) => {
          observer.lost?.(message);
          this.lostFromRam.push(`${identity.serial}#${message.counter} ${message.type}`);
        },
        rejected: (rejection) => {
          observer.rejected?.(rejection);
          if (rejection.reason === 'replay') {
            this.resendsAnsweredReplay++;
            return;
          }
          if (rejection.counter !== undefined) {
            this.refused.add(messageKey(identity.serial, rejection.counter));
          }
          this.refusals.push(
            `${identity.serial}#${rejection.counter}: ${rejection.reason} ${rejection.detail}`,
          );
        },
      };
      const cart = await createCart(identity, site, clock, tap, deviceClock);
      watch.flashDir = cart.flashDir;
      return cart;
    };
  }

  /**
   * Counters each cart still holds in flash to send, read once the carts are off. A cart keeps
   * running during the end-of-run flush, so one that flushed may have made another message (a
   * health report) before it was switched off: not lost, it waits for the next power-on.
   */
  async heldInFlash(): Promise<Map<string, Set<number>>> {
    const held = new Map<string, Set<number>>();
    for (const [serial, watch] of this.carts) {
      if (watch.flashDir === undefined) continue;
      const queue = await (await Flash.open(watch.flashDir)).readQueue();
      held.set(serial, new Set(queue.map((q) => q.counter)));
    }
    return held;
  }

  /** Every acknowledged message the cloud did not refuse. */
  acknowledged(filter: (message: DeviceMessage) => boolean = () => true): Set<MessageKey> {
    const keys = new Set<MessageKey>();
    for (const [serial, watch] of this.carts) {
      for (const counter of watch.acknowledged) {
        const key = messageKey(serial, counter);
        const message = watch.created.get(counter);
        if (!this.refused.has(key) && message && filter(message)) keys.add(key);
      }
    }
    return keys;
  }

  get replayed(): number {
    let n = 0;
    for (const watch of this.carts.values()) n += watch.replayOrder.length;
    return n;
  }

  /** Trips that failed and messages the cloud refused: a fault scenario wants neither. */
  tripsCheck(result: { readonly tripErrors: number; readonly errors: readonly string[] }): {
    what: string;
    ok: boolean;
    detail: string;
  } {
    const errors = result.errors.length ? `: ${result.errors.slice(0, 2).join('; ')}` : '';
    return {
      what: 'no trip failed and the cloud refused nothing',
      ok: result.tripErrors === 0 && this.refused.size === 0,
      detail: `trip errors ${result.tripErrors}, refused ${this.refused.size} ${this.refusals.slice(0, 3).join('; ')}${errors}`,
    };
  }
}
