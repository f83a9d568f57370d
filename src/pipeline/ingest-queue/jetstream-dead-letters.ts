import type { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { deadLetterFailure, decodeQueued, encodeHeaders, messageId } from './jetstream-codec.js';
import type { QueueLayout } from './jetstream-layout.js';
import type {
  QueueDeadLetter,
  QueueDeadLetters,
  QueueReplayResult,
  QueuedMessage,
} from './ingest-queue.js';

/**
 * The dead-letter stream, read and replayed by sequence. It is small by nature (messages the store
 * side failed on N times), so walking it from its first sequence is fine.
 */
export class JetStreamDeadLetters implements QueueDeadLetters {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly layout: QueueLayout,
  ) {}

  async count(): Promise<number> {
    const info = await this.jsm.streams.info(this.layout.deadStream);
    return info.state.messages;
  }

  async list(limit: number): Promise<QueueDeadLetter[]> {
    const letters: QueueDeadLetter[] = [];
    for await (const stored of this.#walk()) {
      // One whose headers do not decode was not published by a platform: count() still has it.
      const letter = toDeadLetter(stored);
      if (letter) letters.push(letter);
      if (letters.length >= limit) break;
    }
    return letters;
  }

  /**
   * Each dead letter goes back into the work stream under a message id of its own (the original
   * one would be dropped as a duplicate inside the window), then leaves the dead-letter stream.
   * Cut short between the two, a second replay publishes the same id again, which JetStream drops.
   */
  async replay(): Promise<QueueReplayResult> {
    let replayed = 0;
    let failed = 0;
    for await (const stored of this.#walk()) {
      let message: QueuedMessage;
      try {
        message = decodeQueued(stored.header, stored.data);
      } catch {
        failed++;
        continue;
      }
      await this.js.publish(this.layout.subject, stored.data, {
        msgID: `${messageId(message)}:replay:${stored.seq}`,
        headers: encodeHeaders(message),
        expect: { streamName: this.layout.stream },
      });
      await this.jsm.streams.deleteMessage(this.layout.deadStream, stored.seq, false);
      replayed++;
    }
    return { replayed, failed, remaining: await this.count() };
  }

  async *#walk(): AsyncGenerator<StoredMsg> {
    const { state } = await this.jsm.streams.info(this.layout.deadStream);
    if (state.messages === 0) return;
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
      const stored = await this.jsm.streams
        .getMessage(this.layout.deadStream, { seq })
        .catch(() => null);
      if (stored) yield stored;
    }
  }
}

function toDeadLetter(stored: StoredMsg): QueueDeadLetter | undefined {
  const failure = deadLetterFailure(stored.header);
  let message: QueuedMessage;
  try {
    message = decodeQueued(stored.header, stored.data);
  } catch {
    return undefined;
  }
  return {
    id: stored.seq,
    message,
    error: failure.error,
    deliveries: failure.deliveries,
    failedAt: failure.failedAt,
  };
}
