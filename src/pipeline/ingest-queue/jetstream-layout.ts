import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** The names one ingest queue uses in JetStream (decision 055). */
export interface QueueLayout {
  /** The work stream: verified messages waiting for the store side. */
  readonly stream: string;
  readonly subject: string;
  /** Messages the store side failed on too often. */
  readonly deadStream: string;
  readonly deadSubject: string;
  /** The durable pull consumer every platform process binds: the consumer group. */
  readonly durable: string;
}

export const DEFAULT_STREAM = 'FLEETPLANE_INGEST';

export function queueLayout(stream: string = DEFAULT_STREAM): QueueLayout {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(stream)) {
    throw new Error(`a stream name is letters, digits, _ and -, got '${stream}'`);
  }
  const subjectRoot = stream.toLowerCase();
  return {
    stream,
    subject: `${subjectRoot}.msgs`,
    deadStream: `${stream}_DLQ`,
    deadSubject: `${subjectRoot}.dead`,
    durable: `${stream}_store`,
  };
}

/**
 * Creates the streams and the durable consumer, or finds them. Several processes starting at once
 * all try; JetStream answers an identical create with what exists, so the race is harmless.
 */
export async function ensureLayout(
  jsm: JetStreamManager,
  layout: QueueLayout,
  options: { readonly ackWaitMs: number; readonly maxAckPending: number },
): Promise<void> {
  await ensure(
    () => jsm.streams.info(layout.stream),
    () =>
      jsm.streams.add({
        name: layout.stream,
        subjects: [layout.subject],
        storage: StorageType.File,
        // A message leaves the stream when the store side acknowledges it.
        retention: RetentionPolicy.Workqueue,
        duplicate_window: nanos(120_000),
      }),
  );
  await ensure(
    () => jsm.streams.info(layout.deadStream),
    () =>
      jsm.streams.add({
        name: layout.deadStream,
        subjects: [layout.deadSubject],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        duplicate_window: nanos(120_000),
      }),
  );
  await ensure(
    () => jsm.consumers.info(layout.stream, layout.durable),
    () =>
      jsm.consumers.add(layout.stream, {
        durable_name: layout.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(options.ackWaitMs),
        // Unlimited: the consumer itself dead-letters after N (decision 055), so a message whose
        // last delivery died with its process is delivered again rather than left in the stream.
        max_deliver: -1,
        max_ack_pending: options.maxAckPending,
      }),
  );
}

async function ensure(find: () => Promise<unknown>, create: () => Promise<unknown>): Promise<void> {
  try {
    await find();
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await create();
  } catch (error) {
    // Another process created it between our look and our create.
    await find().catch(() => {
      throw error;
    });
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.status === 404;
}
