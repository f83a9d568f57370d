import {
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../shared/observability/logger.js';
import { deadLetterHeaders, decodeQueued, encodeHeaders, messageId } from './jetstream-codec.js';
import { JetStreamDeadLetters } from './jetstream-dead-letters.js';
import { ensureLayout, queueLayout, type QueueLayout } from './jetstream-layout.js';
import type { IngestQueue, QueueConsumer, QueuedMessage } from './ingest-queue.js';

export interface JetStreamQueueOptions {
  /** nats://host:port */
  readonly url: string;
  /** The work stream's name; its dead-letter stream and durable consumer are named after it. */
  readonly stream?: string;
  /** Failed deliveries after which a message is dead-lettered (default 5). */
  readonly maxDeliveries?: number;
  /** How long a delivery may go unacknowledged before JetStream gives it to another consumer. */
  readonly ackWaitMs?: number;
  /** Unacknowledged messages the group may hold at once: the store side's concurrency. */
  readonly maxAckPending?: number;
  /** How long a publish waits for the stream's acknowledgement. */
  readonly publishTimeoutMs?: number;
  /** Longest `settled()` waits for the store side to catch up. */
  readonly settleTimeoutMs?: number;
  readonly log: Logger;
  readonly now?: () => number;
}

/**
 * The ingest queue on NATS JetStream (decision 055): a work stream, a dead-letter stream and one
 * durable pull consumer that every platform process binds.
 */
export class JetStreamQueue implements IngestQueue {
  readonly kind = 'jetstream';
  readonly layout: QueueLayout;
  readonly #maxDeliveries: number;
  readonly #now: () => number;
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #jsm: JetStreamManager | undefined;
  #dead: JetStreamDeadLetters | undefined;
  #messages: ConsumerMessages | undefined;
  #closing = false;
  #consuming: Promise<void> | undefined;
  readonly #working = new Set<Promise<void>>();

  private constructor(private readonly options: JetStreamQueueOptions) {
    this.layout = queueLayout(options.stream);
    this.#maxDeliveries = options.maxDeliveries ?? 5;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#maxDeliveries) || this.#maxDeliveries < 1) {
      throw new Error(`maxDeliveries must be at least 1, got ${this.#maxDeliveries}`);
    }
  }

  /** Connects and creates (or finds) the streams and the durable consumer. */
  static async open(options: JetStreamQueueOptions): Promise<JetStreamQueue> {
    const queue = new JetStreamQueue(options);
    await queue.#open();
    return queue;
  }

  async #open(): Promise<void> {
    const { url, log } = this.options;
    const server = new URL(url);
    const nc = await connect({
      servers: `${server.hostname}:${server.port || '4222'}`,
      name: 'fleetplane-ingest',
      // A NATS restart must not end the platform: keep trying, briefly apart.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    }).catch((error: unknown) => {
      throw new Error(`cannot reach NATS at ${url}: ${describe(error)}`, { cause: error });
    });
    this.#nc = nc;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') {
          log.warn({ queue: this.layout.stream, nats: status.type }, `NATS ${status.type}`);
        }
      }
    })();
    try {
      const jsm = await jetstreamManager(nc);
      await ensureLayout(jsm, this.layout, {
        ackWaitMs: this.options.ackWaitMs ?? 30_000,
        maxAckPending: this.options.maxAckPending ?? 1024,
      });
      this.#jsm = jsm;
      this.#js = jetstream(nc, { timeout: this.options.publishTimeoutMs ?? 5000 });
      this.#dead = new JetStreamDeadLetters(this.#js, jsm, this.layout);
    } catch (error) {
      await nc.close();
      throw new Error(
        `JetStream at ${url} is not usable (is the server run with -js?): ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  get deadLetters(): JetStreamDeadLetters {
    if (!this.#dead) throw new Error('the ingest queue is not open');
    return this.#dead;
  }

  async enqueue(message: QueuedMessage): Promise<void> {
    if (!this.#js || this.#closing) throw new Error('the ingest queue is closed');
    await this.#js.publish(this.layout.subject, message.payload, {
      msgID: messageId(message),
      headers: encodeHeaders(message),
      expect: { streamName: this.layout.stream },
    });
  }

  start(consume: QueueConsumer): Promise<void> {
    if (!this.#js) return Promise.reject(new Error('the ingest queue is not open'));
    this.#consuming ??= this.#consumeLoop(this.#js, consume);
    return Promise.resolve();
  }

  /**
   * The store side's acknowledgement floor reaching the work stream's last sequence as it is now;
   * bounded, because a message failing its way to the dead-letter stream may take a while.
   */
  async settled(): Promise<void> {
    const jsm = this.#jsm;
    if (!jsm) return;
    const { layout } = this;
    try {
      const target = (await jsm.streams.info(layout.stream)).state.last_seq;
      const until = Date.now() + (this.options.settleTimeoutMs ?? 5000);
      while (Date.now() < until) {
        const info = await jsm.consumers.info(layout.stream, layout.durable);
        if (info.ack_floor.stream_seq >= target || info.num_ack_pending + info.num_pending === 0) {
          return;
        }
        await sleep(20);
      }
    } catch (error) {
      // NATS unreachable: the caller goes on with what is stored so far (a checkout's basket
      // check may then miss scans still in the queue) rather than failing on it.
      this.options.log.warn(
        { err: error, queue: layout.stream },
        'could not tell if the queue settled',
      );
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    // Bounded: with NATS down the client's requests wait out their timeouts, and a platform
    // stopping then has nothing to flush anyway (what is not acknowledged is delivered again).
    await within(
      2000,
      this.#messages?.close().catch(() => undefined),
    );
    await within(2000, this.#consuming);
    await Promise.allSettled([...this.#working]);
    // Drain sends the acknowledgements still buffered before closing.
    const nc = this.#nc;
    await within(
      2000,
      nc?.drain().catch(() => undefined),
    );
    if (nc && !nc.isClosed()) await nc.close();
  }

  async #consumeLoop(js: JetStreamClient, consume: QueueConsumer): Promise<void> {
    const { log } = this.options;
    while (!this.#closing) {
      try {
        const consumer = await js.consumers.get(this.layout.stream, this.layout.durable);
        const messages = await consumer.consume({ max_messages: 256 });
        this.#messages = messages;
        if (this.#closing) await messages.close();
        for await (const msg of messages) {
          const delivery = this.#deliver(msg, consume);
          this.#working.add(delivery);
          void delivery.finally(() => this.#working.delete(delivery));
        }
      } catch (error) {
        if (!this.#closing) log.warn({ err: error, queue: this.layout.stream }, 'consumer stopped');
      }
      if (!this.#closing) await sleep(500);
    }
  }

  async #deliver(msg: JsMsg, consume: QueueConsumer): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    let message: QueuedMessage;
    try {
      message = decodeQueued(msg.headers, msg.data);
    } catch (error) {
      // It will not decode on the next delivery either.
      await this.#deadLetter(msg, error, deliveries);
      return;
    }
    try {
      await consume(message);
      msg.ack();
    } catch (error) {
      if (deliveries >= this.#maxDeliveries) await this.#deadLetter(msg, error, deliveries);
      else msg.nak(Math.min(5000, 100 * 2 ** (deliveries - 1)));
    }
  }

  /** Parks the message, and only once the dead-letter stream has it, takes it off the work stream. */
  async #deadLetter(msg: JsMsg, error: unknown, deliveries: number): Promise<void> {
    const { log } = this.options;
    try {
      await this.#js?.publish(this.layout.deadSubject, msg.data, {
        msgID: `dead:${msg.seq}`,
        headers: deadLetterHeaders(msg.headers, {
          error: describe(error),
          deliveries,
          failedAt: this.#now(),
        }),
        expect: { streamName: this.layout.deadStream },
      });
      // No reason: nats-server 2.9 does not read `+TERM <reason>` and would leave it pending.
      msg.term();
      log.error(
        { err: error, queue: this.layout.stream, seq: msg.seq, deliveries },
        'ingest message dead-lettered',
      );
    } catch (parkError) {
      log.error({ err: parkError, queue: this.layout.stream }, 'could not dead-letter a message');
      msg.nak(5000);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits for `work`, or `ms`, whichever comes first. */
async function within(ms: number, work: Promise<unknown> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
