import type { Connection } from './connection.js';
import type { OutboundMessage } from './server-types.js';

const MAX_PACKET_ID = 65_535;

/**
 * What the server keeps for one client id: its subscriptions and the QoS 1 messages owed to it,
 * queued while it is away (or while its in-flight window is full) and in flight until PUBACK.
 * A persistent session outlives the connection; the registry decides when it ends.
 */
export class Session<P> {
  connection: Connection<P> | undefined;
  /** Exact topic → granted QoS. */
  readonly subscriptions = new Map<string, 0 | 1>();
  /** How long the session outlives a connection, in ms; 0: it ends with the connection. */
  expiryMs: number;
  /** When an offline session ends; infinite while connected. */
  expiresAt = Number.POSITIVE_INFINITY;
  readonly #queue: OutboundMessage[] = [];
  /** Sent and not acknowledged, by packet id, in the order sent (Map keeps insertion order). */
  readonly #inflight = new Map<number, OutboundMessage>();
  #nextId = 1;

  constructor(
    readonly clientId: string,
    expiryMs: number,
    private readonly limits: {
      readonly maxQueued: number;
      /** Told of each message dropped: queue full, or too large for the client. */
      readonly dropped: () => void;
    },
  ) {
    this.expiryMs = expiryMs;
  }

  /** Messages owed: queued plus in flight. */
  get owed(): number {
    return this.#queue.length + this.#inflight.size;
  }

  /**
   * Sends now when connected with room in flight, queues otherwise. QoS 0 is not kept for an
   * absent client (spec 3.1.2.4 allows either); QoS 1 is, up to `maxQueued`, the oldest dropped.
   */
  deliver(message: OutboundMessage): void {
    const connection = this.connection;
    if (connection === undefined) {
      if (message.qos === 1) this.#enqueue(message);
      return;
    }
    if (this.#queue.length === 0 && this.#send(connection, message)) return;
    this.#enqueue(message);
  }

  /** A PUBACK from the client. */
  acknowledge(messageId: number): void {
    if (this.#inflight.delete(messageId)) this.#pump();
  }

  /**
   * The client is back on `connection`. In a resumed session, what was in flight is sent again
   * first, flagged dup (spec 4.4), then the queue.
   */
  attach(connection: Connection<P>, resumed: boolean): void {
    this.connection = connection;
    this.expiresAt = Number.POSITIVE_INFINITY;
    if (resumed) {
      for (const [id, message] of this.#inflight) connection.sendPublish(message, id, true);
    } else {
      this.#inflight.clear();
    }
    this.#pump();
  }

  detach(): void {
    this.connection = undefined;
  }

  #enqueue(message: OutboundMessage): void {
    if (this.owed >= this.limits.maxQueued) {
      if (this.#queue.length === 0) {
        this.limits.dropped();
        return;
      }
      this.#queue.shift();
      this.limits.dropped();
    }
    this.#queue.push(message);
  }

  #pump(): void {
    const connection = this.connection;
    if (connection === undefined) return;
    while (this.#queue.length > 0 && this.#inflight.size < connection.outboundWindow) {
      this.#send(connection, this.#queue.shift()!);
    }
  }

  /** Sends unless the in-flight window is full; false means it was not sent. */
  #send(connection: Connection<P>, message: OutboundMessage): boolean {
    if (!connection.fits(message)) {
      // The client cannot take it: discarded as if sent (MQTT 5 spec 3.1.2.25).
      this.limits.dropped();
      return true;
    }
    if (message.qos === 0) {
      connection.sendPublish(message, 0, false);
      return true;
    }
    if (this.#inflight.size >= connection.outboundWindow) return false;
    const id = this.#packetId();
    this.#inflight.set(id, message);
    connection.sendPublish(message, id, false);
    return true;
  }

  /** The next id not in flight; the window is far below 65,535, so one is always free. */
  #packetId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id === MAX_PACKET_ID ? 1 : id + 1;
      if (!this.#inflight.has(id)) return id;
    }
  }
}
