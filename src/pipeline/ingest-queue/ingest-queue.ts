import type { DeviceClass } from '../../contract/index.js';

/**
 * A device message that passed verification, as the ingest queue carries it: the device's bytes
 * as they came, where and when they came, and the device they were verified against.
 */
export interface QueuedMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /** Arrival at the platform, ms since epoch. */
  readonly receivedAt: number;
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  /** The device's monotonic counter: with the device id, the message's identity for dedup. */
  readonly counter: number;
}

/** Stores one queued message; resolves when it is durable, rejects when it could not be. */
export type QueueConsumer = (message: QueuedMessage) => Promise<void>;

/** A message the store side failed on too often, parked with why. */
export interface QueueDeadLetter {
  /** Its place in the dead-letter store; stable until it is replayed. */
  readonly id: number;
  readonly message: QueuedMessage;
  readonly error: string;
  readonly deliveries: number;
  readonly failedAt: number;
}

/** What a replay did, in the shape of the entity projector's replay (`POST /v1/dead-letters/replay`). */
export interface QueueReplayResult {
  readonly replayed: number;
  readonly failed: number;
  readonly remaining: number;
}

export interface QueueDeadLetters {
  list(limit: number): Promise<QueueDeadLetter[]>;
  count(): Promise<number>;
  /** Moves every dead letter back into the queue, to be consumed again. */
  replay(): Promise<QueueReplayResult>;
}

/**
 * The ingest queue port (decision 055): between the broker-facing side, which verifies, and the
 * store side. At least once: a message is handed to the consumer until it resolves for it, or
 * parked as a dead letter; the telemetry store's dedup on (device, counter) makes it once.
 */
export interface IngestQueue {
  /** Which engine, for the health route and logs: `direct` or `jetstream`. */
  readonly kind: string;
  /** Begins handing queued messages to `consume`. */
  start(consume: QueueConsumer): Promise<void>;
  /**
   * Resolves when the message is durable in the queue (the device may be acknowledged), rejects
   * when it is not (the device must keep it and send it again).
   */
  enqueue(message: QueuedMessage): Promise<void>;
  /** Resolves when everything enqueued before the call has been consumed or dead-lettered. */
  settled(): Promise<void>;
  readonly deadLetters: QueueDeadLetters;
  /** Stops consuming and closes the connection; messages not yet consumed stay queued. */
  close(): Promise<void>;
}

const NO_DEAD_LETTERS: QueueDeadLetters = {
  list: () => Promise.resolve([]),
  count: () => Promise.resolve(0),
  replay: () => Promise.resolve({ replayed: 0, failed: 0, remaining: 0 }),
};

/**
 * The embedded default: no queue. Enqueueing stores at once, so the device's PUBACK keeps meaning
 * "durably stored in telemetry"; a failure goes back to the device, whose own buffer holds the
 * message, so there is nothing to dead-letter here.
 */
export class DirectQueue implements IngestQueue {
  readonly kind = 'direct';
  #consume: QueueConsumer | undefined;

  start(consume: QueueConsumer): Promise<void> {
    this.#consume = consume;
    return Promise.resolve();
  }

  enqueue(message: QueuedMessage): Promise<void> {
    if (!this.#consume) return Promise.reject(new Error('the ingest queue has not started'));
    return this.#consume(message);
  }

  settled(): Promise<void> {
    return Promise.resolve();
  }

  readonly deadLetters = NO_DEAD_LETTERS;

  close(): Promise<void> {
    this.#consume = undefined;
    return Promise.resolve();
  }
}
