import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { renderSubject } from './integration-match.js';
import type { OutboundEvent } from './outbound-event.js';
import type { Sink, SinkResult } from './sink.js';

export interface JetStreamSinkOptions {
  readonly url: string;
  readonly subject: string;
  readonly timeoutMs: number;
}

/**
 * Publishes one event as JSON to a JetStream subject; the stream's publish acknowledgement is the
 * acknowledgement. The idempotency id goes as `Nats-Msg-Id`, so the stream itself drops a repeat
 * within its duplicate window. The stream is the operator's: a subject no stream takes fails (no
 * responders) and is retried, as a refused connection is. Connects at the first delivery and
 * again after a connection is lost.
 */
export class JetStreamSink implements Sink {
  readonly #o: JetStreamSinkOptions;
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;

  constructor(options: JetStreamSinkOptions) {
    this.#o = options;
  }

  async deliver(event: OutboundEvent): Promise<SinkResult> {
    try {
      const js = await this.#client();
      const subject = renderSubject(this.#o.subject, event);
      const ack = await js.publish(subject, JSON.stringify(event), { msgID: event.id });
      return ack.duplicate || ack.seq > 0
        ? { ok: true, status: null }
        : { ok: false, status: null, error: 'no sequence in the acknowledgement' };
    } catch (error) {
      if (this.#nc?.isClosed()) this.#nc = this.#js = undefined;
      return {
        ok: false,
        status: null,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  async #client(): Promise<JetStreamClient> {
    if (this.#js) return this.#js;
    const server = new URL(this.#o.url);
    const nc = await connect({
      servers: `${server.hostname}:${server.port || '4222'}`,
      name: 'fleetplane-integrations',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    }).catch((error: unknown) => {
      throw new Error(`cannot reach NATS at ${this.#o.url}: ${String(error)}`, { cause: error });
    });
    this.#nc = nc;
    this.#js = jetstream(nc, { timeout: this.#o.timeoutMs });
    return this.#js;
  }

  async close(): Promise<void> {
    const nc = this.#nc;
    this.#nc = this.#js = undefined;
    await nc?.close().catch(() => undefined);
  }
}
