import { topicFor, type DeviceMessage } from '../../contract/index.js';
import { lostSignal, queuedMessage, withDeadline } from '../link/connection-attempt.js';
import type { SimClock } from '../clock/sim-clock.js';
import type {
  LinkConnection,
  LinkFactory as AnyLinkFactory,
  LinkHandlers,
} from '../link/link-factory.js';
import type { Flash } from './flash.js';
import type { Radio, Radios } from './radios.js';
import type { PayloadCorruption } from './payload-corruption.js';

export { mqttLinkFactory } from '../link/link-factory.js';
export type { LinkConnection, LinkHandlers } from '../link/link-factory.js';
/** The cart's connections, each over one of its radios. */
export type LinkFactory = AnyLinkFactory<Radio>;

/** A message waiting for its PUBACK. */
export interface Pending {
  readonly message: DeviceMessage;
  readonly payload: Uint8Array;
  /** In flash; false for what must not touch flash (identifiers), which waits in RAM. */
  readonly persistent: boolean;
  /** Created while no link was up: its delivery is a replay. */
  readonly createdOffline: boolean;
}

export interface UplinkHooks extends Omit<LinkHandlers, 'down'> {
  delivered(message: DeviceMessage, replayed: boolean): void;
  /** A publish went out over `radio` (LTE-M costs a transmit burst). */
  transmitted(radio: Radio): void;
  /** The connection came up over `radio` (or went down: 'none'). */
  linkChanged(radio: Radio | 'none'): void;
  /** The fleet roots to verify the broker with now (see LinkFactory). */
  trustPem?(): string | undefined;
}

/**
 * Store-and-forward and link management. Every message joins one queue in counter order; one
 * sender drains it over the connection, removing each only on PUBACK, so a replay after a
 * link returns is in order with the original timestamps. The connection follows the radios:
 * WiFi, else LTE-M (200–400 ms more per publish), else none.
 */
export class Uplink {
  #queue: Pending[] = [];
  #connection: LinkConnection | undefined;
  #radio: Radio | undefined;
  #powered = false;
  #connecting: Promise<void> | undefined;
  #draining = false;
  #waiters: (() => void)[] = [];
  #generation = 0;
  /** Rejects when the current connection goes: a publish in flight on it never gets a PUBACK. */
  #lost: { promise: Promise<never>; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly factory: LinkFactory,
    private readonly radios: Radios,
    private readonly flash: Flash,
    private readonly clock: SimClock,
    private readonly corruption: PayloadCorruption,
    private readonly hooks: UplinkHooks,
  ) {}

  /** What a reboot finds in flash. */
  async restore(): Promise<void> {
    for (const entry of await this.flash.readQueue()) {
      const message = queuedMessage(entry.payload);
      if (!message) {
        await this.flash.dequeue(entry.counter);
        continue;
      }
      this.#queue.push({
        message,
        payload: entry.payload,
        persistent: true,
        createdOffline: true,
      });
    }
  }

  get pending(): number {
    return this.#queue.length;
  }

  get link(): Radio | 'none' {
    return this.#connection && this.#radio ? this.#radio : 'none';
  }

  get online(): boolean {
    return this.#connection !== undefined;
  }

  /** Queues a signed message (flash first when persistent) and wakes the sender. */
  async add(message: DeviceMessage, payload: Uint8Array, persistent: boolean): Promise<void> {
    if (persistent) await this.flash.enqueue({ counter: message.counter, payload });
    this.#queue.push({ message, payload, persistent, createdOffline: !this.online });
    this.#queue.sort((a, b) => a.message.counter - b.message.counter);
    void this.#drain();
  }

  /** Radio on: connect over the best radio now and whenever the radios change. */
  async powerUp(): Promise<void> {
    this.#powered = true;
    await this.reconcile();
  }

  /** Radio off (sleep, shutdown): the connection closes, the queue stays. */
  async powerDown(): Promise<void> {
    this.#powered = false;
    await this.#disconnect();
  }

  /** Drops the RAM queue, as a power loss does; flash keeps the rest. Returns what was lost. */
  forgetRam(): DeviceMessage[] {
    const lost = this.#queue.filter((p) => !p.persistent).map((p) => p.message);
    this.#queue = this.#queue.filter((p) => p.persistent);
    return lost;
  }

  /** Brings the connection in line with the radios; call after any change to them. */
  async reconcile(): Promise<void> {
    if (this.#connecting) await this.#connecting;
    const want = this.#powered ? this.radios.best() : 'none';
    if (want === (this.#connection ? this.#radio : 'none')) return;
    this.#connecting = this.#switchTo(want).finally(() => (this.#connecting = undefined));
    await this.#connecting;
  }

  /** Resolves true when the queue is empty, false after `timeoutMs` real milliseconds. */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.#queue.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(this.#queue.length === 0);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiters.push(done);
    });
  }

  async #switchTo(want: Radio | 'none'): Promise<void> {
    await this.#disconnect();
    if (want === 'none') return;
    const generation = ++this.#generation;
    try {
      const connection = await withDeadline(
        this.factory.connect(
          want,
          {
            command: (r) => this.hooks.command(r),
            desired: (d) => this.hooks.desired(d),
            job: (j) => this.hooks.job(j),
            rejected: (f) => this.hooks.rejected(f),
            down: () => {
              if (generation !== this.#generation) return;
              this.#lost?.reject(new Error('connection lost'));
              this.#connection = undefined;
              this.hooks.linkChanged('none');
              this.#retryLater();
            },
          },
          this.hooks.trustPem?.(),
        ),
      );
      if (generation !== this.#generation || !this.#powered) {
        await connection.close();
        return;
      }
      this.#connection = connection;
      this.#radio = want;
      this.#lost = lostSignal();
      this.hooks.linkChanged(want);
      void this.#drain();
    } catch {
      this.#retryLater();
    }
  }

  #retryLater(): void {
    const generation = this.#generation;
    // A few simulated seconds, but never a busy loop at high simulation speed.
    void Promise.all([this.clock.sleep(5000), new Promise((r) => setTimeout(r, 200))]).then(() => {
      if (generation === this.#generation && this.#powered && !this.#connection) {
        this.#radio = undefined;
        void this.reconcile();
      }
    });
  }

  async #disconnect(): Promise<void> {
    const connection = this.#connection;
    this.#generation++;
    this.#lost?.reject(new Error('disconnected'));
    this.#connection = undefined;
    if (connection) {
      this.hooks.linkChanged('none');
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
        const radio = this.#radio;
        if (!head || !connection || !radio) break;
        const latency = this.radios.latencyMs(radio);
        if (latency > 0) await this.clock.sleep(latency);
        if (this.#connection !== connection) continue;
        const m = head.message;
        const lost = this.#lost?.promise;
        try {
          const publish = connection.publish(
            topicFor('cart', m.device_id, m.type),
            this.corruption.wire(m, head.payload),
          );
          await (lost ? Promise.race([publish, lost]) : publish);
        } catch {
          // Not acknowledged: it stays at the head and goes again over the next connection.
          if (this.#connection === connection) await this.clock.sleep(1000);
          continue;
        }
        this.hooks.transmitted(radio);
        this.#queue = this.#queue.filter((p) => p !== head);
        this.corruption.forget(m.counter);
        if (head.persistent) await this.flash.dequeue(m.counter);
        this.hooks.delivered(m, head.createdOffline);
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
