// The "acknowledged ledger" load: provisioned devices publishing signed QoS 1 messages over
// mutual TLS, each noting every (device, counter) whose PUBACK it received. A device behaves as
// firmware with store-and-forward does: messages are made on its own schedule whether or not it
// is connected; on a lost connection it reconnects (with backoff) and sends again, in counter
// order, everything not yet acknowledged. A message the platform acknowledged is the platform's
// promise; what it stored is read back afterwards (stored-telemetry.ts) and held against this.
import { encodeSigned, topicFor, type DeviceMessage } from '../../../src/contract/index.js';
import type { DeviceCredentials } from '../../../src/device/link/device-link.js';
import { LedgerConnection } from './ledger-connection.js';

interface Outgoing {
  readonly counter: number;
  readonly type: DeviceMessage['type'];
  readonly topic: string;
  readonly payload: Uint8Array;
  /** Index in the device's plan: it may be sent from start + index × interval on. */
  readonly index: number;
}

/** What the devices were told, per device: the counters acknowledged, and refusals by reason. */
export class AcknowledgedLedger {
  readonly acknowledged = new Map<string, Map<number, DeviceMessage['type']>>();
  /** PUBACKs with an error reason code, by code (each one a message the device gives up on). */
  readonly refused = new Map<string, number>();
  /** Connections the server ended with a DISCONNECT, by reason code. */
  readonly disconnects = new Map<string, number>();
  /** Publishes answered by nothing because the connection went (sent again later). */
  unanswered = 0;
  /** Publishes of a message already sent once before. */
  resent = 0;
  connects = 0;
  failedConnects = 0;
  #count = 0;

  get count(): number {
    return this.#count;
  }

  acknowledge(deviceId: string, counter: number, type: DeviceMessage['type']): void {
    let device = this.acknowledged.get(deviceId);
    if (!device) this.acknowledged.set(deviceId, (device = new Map()));
    if (!device.has(counter)) this.#count++;
    device.set(counter, type);
  }

  tally(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

export interface LedgerLoadOptions {
  readonly url: () => string;
  readonly devices: readonly DeviceCredentials[];
  /** The messages device `d` sends, in order, counters included. */
  readonly plan: (device: DeviceCredentials, d: number) => DeviceMessage[];
  /** Publishes in flight per device. */
  readonly window: number;
  /** New messages per second over all devices (resends are not paced); 0 or absent: no pacing. */
  readonly ratePerSecond?: number;
}

/** Runs the devices until every planned message is acknowledged or `stop` is called. */
export class LedgerLoad {
  readonly ledger = new AcknowledgedLedger();
  readonly total: number;
  #stopped = false;
  readonly #done: Promise<void>;
  readonly #started = performance.now();
  #waiters: { n: number; resolve: () => void }[] = [];

  private constructor(
    private readonly options: LedgerLoadOptions,
    queues: Outgoing[][],
  ) {
    this.total = queues.reduce((n, q) => n + q.length, 0);
    this.#done = Promise.all(
      options.devices.map((device, d) => this.#runDevice(device, d, queues[d]!)),
    ).then(() => undefined);
  }

  /** Signs every device's plan (devices sign on their own processors; not on the clock) and starts. */
  static start(options: LedgerLoadOptions): LedgerLoad {
    const queues = options.devices.map((device, d) =>
      options.plan(device, d).map((message, index) => ({
        counter: message.counter,
        type: message.type,
        topic: topicFor(device.deviceClass, device.deviceId, message.type),
        payload: encodeSigned(message, (body) => device.secureElement.sign(body)),
        index,
      })),
    );
    return new LedgerLoad(options, queues);
  }

  /** Resolves when at least `n` messages are acknowledged (or the load ended). */
  reached(n: number): Promise<void> {
    if (this.ledger.count >= n || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }

  /** Resolves when every planned message is acknowledged or refused; rejects after `timeoutMs`. */
  async finished(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `only ${this.ledger.count} of ${this.total} messages acknowledged after ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.#done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends every device's connection; what is not acknowledged by now stays so. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const c of this.#connections) void c.close();
    await this.#done;
    this.#wake();
  }

  readonly #connections = new Set<LedgerConnection>();

  /** Waits `ms` give or take half, so a fleet does not reconnect in step. */
  #backoff(ms: number): Promise<void> {
    return sleep(ms * (0.5 + Math.random()));
  }

  #wake(): void {
    const ready = this.#waiters.filter((w) => this.ledger.count >= w.n || this.#stopped);
    this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  async #runDevice(device: DeviceCredentials, d: number, queue: Outgoing[]): Promise<void> {
    const { ledger } = this;
    const rate = this.options.ratePerSecond ?? 0;
    const interval = rate > 0 ? (1000 * this.options.devices.length) / rate : 0;
    const offset = rate > 0 ? (d / this.options.devices.length) * interval : 0;
    const dueAt = (m: Outgoing) => this.#started + offset + m.index * interval;
    const sentBefore = new Set<number>();
    let inFlight = 0;
    let backoffMs = 100;
    while (!this.#stopped && (queue.length > 0 || inFlight > 0)) {
      let connection: LedgerConnection;
      try {
        connection = await LedgerConnection.connect(this.options.url(), device);
      } catch {
        ledger.failedConnects++;
        await this.#backoff(backoffMs);
        backoffMs = Math.min(2000, backoffMs * 2);
        continue;
      }
      ledger.connects++;
      this.#connections.add(connection);
      if (this.#stopped) void connection.close();
      const lane = async () => {
        while (!connection.isClosed && !this.#stopped) {
          const next = queue[0];
          if (!next) {
            if (inFlight === 0) return;
            await Promise.race([connection.closed, sleep(10)]);
            continue;
          }
          const wait = dueAt(next) - performance.now();
          if (wait > 0) {
            await Promise.race([connection.closed, sleep(wait)]);
            continue;
          }
          queue.shift();
          inFlight++;
          if (sentBefore.has(next.counter)) ledger.resent++;
          sentBefore.add(next.counter);
          const answer = await connection.publish(next.topic, next.payload);
          inFlight--;
          if (answer.acknowledged) {
            ledger.acknowledge(device.deviceId, next.counter, next.type);
            // Backoff ends with a message taken, not with a connect: a platform that accepts the
            // connection and drops it at the first publish is not back.
            backoffMs = 100;
            this.#wake();
          } else if (answer.reasonCode !== undefined) {
            ledger.tally(ledger.refused, answer.why);
          } else {
            ledger.unanswered++;
            requeue(queue, next);
          }
        }
      };
      await Promise.all(Array.from({ length: this.options.window }, lane));
      if (!connection.isClosed) await connection.close();
      await connection.closed;
      this.#connections.delete(connection);
      if (connection.disconnectReason !== undefined) {
        ledger.tally(ledger.disconnects, `0x${connection.disconnectReason.toString(16)}`);
      }
      if (queue.length > 0 && !this.#stopped) {
        await this.#backoff(backoffMs);
        backoffMs = Math.min(2000, backoffMs * 2);
      }
    }
    this.#wake();
  }
}

/** Back into the queue in counter order, as firmware replays its buffer oldest first. */
function requeue(queue: Outgoing[], message: Outgoing): void {
  let i = 0;
  while (i < queue.length && queue[i]!.counter < message.counter) i++;
  queue.splice(i, 0, message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
