import { topicFor, type DeviceClass, type DeviceMessage } from '../../contract/index.js';
import { lostSignal, queuedMessage, withDeadline } from '../link/connection-attempt.js';
import type { SimClock } from '../clock/sim-clock.js';
import type { LinkConnection, LinkFactory, LinkHandlers } from '../link/link-factory.js';
import type { DeviceFlash } from './device-flash.js';

export interface StoreAndForwardHooks extends Omit<LinkHandlers, 'down'> {
  /** The broker acknowledged it; `replayed`: it was created while no link was up. */
  delivered(message: DeviceMessage, replayed: boolean): void;
  /** The queue was full: the oldest message waiting was dropped to make room (see add). */
  dropped(message: DeviceMessage): void;
  linkChanged(up: boolean): void;
  trustPem?(): string | undefined;
}

interface Pending {
  readonly message: DeviceMessage;
  readonly payload: Uint8Array;
  readonly replay: boolean;
}

/**
 * A battery device's store-and-forward. Every signed message is written to flash first, joins one
 * queue in counter order, and is removed only on the broker's PUBACK, so after an outage the
 * readings go out in order with their original timestamps and counters. The queue is bounded
 * (flash is small): when full, the oldest message not on the wire is dropped, counted and handed
 * to `dropped`, since the newest readings say most about the cargo now. The connection comes back
 * by itself after a loss, unless the network is unreachable (a gateway outage) or the radio off.
 */
export class StoreAndForward {
  /** Messages dropped because the queue was full, since this object was made. */
  droppedCount = 0;
  #queue: Pending[] = [];
  #connection: LinkConnection | undefined;
  #inFlight: Pending | undefined;
  #powered = false;
  #reachable = true;
  #draining = false;
  #connecting: Promise<void> | undefined;
  #generation = 0;
  #waiters: (() => void)[] = [];
  #lost: { promise: Promise<never>; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly deviceClass: DeviceClass,
    private readonly factory: LinkFactory,
    private readonly flash: DeviceFlash,
    private readonly clock: SimClock,
    readonly capacity: number,
    private readonly hooks: StoreAndForwardHooks,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be at least 1: ${capacity}`);
  }

  /** What a reboot finds in flash: all of it is a replay. */
  async restore(): Promise<void> {
    for (const entry of await this.flash.readQueue()) {
      const message = queuedMessage(entry.payload);
      if (message) this.#queue.push({ message, payload: entry.payload, replay: true });
      else await this.flash.dequeue(entry.counter);
    }
  }

  get pending(): number {
    return this.#queue.length;
  }

  get online(): boolean {
    return this.#connection !== undefined;
  }

  /** Flash first, then the queue; drops the oldest waiting message when over capacity. */
  async add(message: DeviceMessage, payload: Uint8Array): Promise<void> {
    await this.flash.enqueue({ counter: message.counter, payload });
    this.#queue.push({ message, payload, replay: !this.online });
    this.#queue.sort((a, b) => a.message.counter - b.message.counter);
    while (this.#queue.length > this.capacity) {
      const oldest = this.#queue.find((p) => p !== this.#inFlight);
      if (!oldest) break;
      this.#queue = this.#queue.filter((p) => p !== oldest);
      await this.flash.dequeue(oldest.message.counter);
      this.droppedCount++;
      this.hooks.dropped(oldest.message);
    }
    void this.#drain();
  }

  async powerUp(): Promise<void> {
    this.#powered = true;
    await this.#reconcile();
  }

  /** Radio off: the connection closes, the queue stays. */
  async powerDown(): Promise<void> {
    this.#powered = false;
    await this.#reconcile();
  }

  /** The network (a gateway, the cell) is gone or back; the queue fills meanwhile. */
  async setReachable(reachable: boolean): Promise<void> {
    this.#reachable = reachable;
    await this.#reconcile();
  }

  /** Resolves true when the queue is empty, false after `timeoutMs` real milliseconds. */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.#queue.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(this.#queue.length === 0);
      }, timeoutMs);
      this.#waiters.push(done);
    });
  }

  async #reconcile(): Promise<void> {
    if (this.#connecting) await this.#connecting;
    const want = this.#powered && this.#reachable;
    if (want === this.online) return;
    this.#connecting = (want ? this.#connect() : this.#disconnect()).finally(
      () => (this.#connecting = undefined),
    );
    await this.#connecting;
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const connection = await withDeadline(
        this.factory.connect(
          'lte-m',
          {
            command: (r) => this.hooks.command(r),
            desired: (d) => this.hooks.desired(d),
            job: (j) => this.hooks.job(j),
            rejected: (f) => this.hooks.rejected(f),
            down: () => {
              if (generation !== this.#generation) return;
              this.#lost?.reject(new Error('connection lost'));
              this.#connection = undefined;
              this.hooks.linkChanged(false);
              this.#retryLater();
            },
          },
          this.hooks.trustPem?.(),
        ),
      );
      if (generation !== this.#generation || !this.#powered || !this.#reachable) {
        await connection.close().catch(() => undefined);
        return;
      }
      this.#connection = connection;
      this.#lost = lostSignal();
      this.hooks.linkChanged(true);
      void this.#drain();
    } catch {
      this.#retryLater();
    }
  }

  #retryLater(): void {
    const generation = this.#generation;
    // A few simulated seconds, but never a busy loop at high simulation speed.
    void Promise.all([this.clock.sleep(5000), new Promise((r) => setTimeout(r, 200))]).then(() => {
      if (generation === this.#generation && !this.online) void this.#reconcile();
    });
  }

  async #disconnect(): Promise<void> {
    const connection = this.#connection;
    this.#generation++;
    this.#lost?.reject(new Error('disconnected'));
    this.#connection = undefined;
    if (connection) {
      this.hooks.linkChanged(false);
      await connection.close().catch(() => undefined);
    }
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (;;) {
        const head = this.#queue[0];
        const connection = this.#connection;
        if (!head || !connection) break;
        const m = head.message;
        this.#inFlight = head;
        try {
          const publish = connection.publish(
            topicFor(this.deviceClass, m.device_id, m.type),
            head.payload,
          );
          const lost = this.#lost?.promise;
          await (lost ? Promise.race([publish, lost]) : publish);
        } catch {
          // Not acknowledged: it stays at the head and goes again over the next connection.
          if (this.#connection === connection) await this.clock.sleep(1000);
          continue;
        } finally {
          this.#inFlight = undefined;
        }
        this.#queue = this.#queue.filter((p) => p !== head);
        await this.flash.dequeue(m.counter);
        this.hooks.delivered(m, head.replay);
      }
    } finally {
      this.#draining = false;
    }
    if (this.#queue.length === 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    }
  }
}
