import type { DeviceMessageHandler } from '../edge/broker/device-broker.js';
import { DirectQueue, type IngestQueue } from '../pipeline/ingest-queue/ingest-queue.js';
import { JetStreamQueue } from '../pipeline/ingest-queue/jetstream-queue.js';
import type { DeviceDirectory } from '../pipeline/ingest/device-directory.js';
import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import {
  IngestPipeline,
  type FeedbackPublisher,
  type InboundMessage,
  type IngestOutcome,
} from '../pipeline/ingest/ingest-pipeline.js';
import { RejectCounter } from '../pipeline/ingest/reject-counter.js';
import type { SignatureVerifier } from '../pipeline/ingest/signature-verifier.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { TelemetryStore } from '../stores/telemetry/telemetry-store.js';
import type { IngestQueueConfig, PlatformConfig } from './platform-config.js';

/** What the broker's handler resolves with once a message is in the queue: taken, not yet stored. */
export interface QueuedOutcome {
  readonly status: 'queued';
  readonly deviceId: string;
  readonly counter: number;
}

export interface IngestWiring {
  readonly queue: IngestQueue;
  /** The broker's handler: with a queue, PUBACK means "durably in the queue" (decision 055). */
  readonly handler: DeviceMessageHandler &
    ((message: InboundMessage) => Promise<IngestOutcome | QueuedOutcome>);
  /** Verifies and stores before resolving, queue or not: the device API's synchronous checkout. */
  readonly direct: (message: InboundMessage) => Promise<IngestOutcome>;
  /** Stops consuming, then waits for every message in hand to have an outcome. */
  readonly drain: () => Promise<void>;
}

/**
 * The ingest pipeline and the queue of the configuration: none (the direct path: the broker's
 * handler verifies and stores, PUBACK after the durable write) or JetStream (`--queue-url`): the
 * broker's handler verifies and enqueues, and this process also consumes from the shared durable
 * and stores.
 */
export async function wireIngest(options: {
  readonly config: PlatformConfig;
  readonly telemetry: TelemetryStore;
  readonly directory: DeviceDirectory;
  readonly verifier: SignatureVerifier;
  /** Where per-device reject counts go. */
  readonly entities: Pick<EntityStore, 'recordDeviceRejects'>;
  /** Offered what was stored; an ingest-only process offers nowhere (the feed carries it). */
  readonly projector: Pick<EntityProjector, 'offer'>;
  readonly feedback: FeedbackPublisher;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now: () => number;
}): Promise<IngestWiring> {
  const { config, entities, projector, log, now } = options;
  // Per-device rejects for the top-error-devices query (issue 18), written a batch a second.
  const rejectCounter = new RejectCounter({ sink: entities, log, now });
  const pipeline = new IngestPipeline({
    ...options,
    devices: options.directory,
    onStored: (events) => projector.offer(events),
    onDeviceReject: (deviceId, reason, at) => rejectCounter.count(deviceId, reason, at),
  });
  const direct = (message: InboundMessage) => pipeline.submit(message);
  const queue = config.queue ? await openJetStream(config.queue, pipeline, log, now) : undefined;
  const drain = async () => {
    await queue?.close();
    await pipeline.drain();
    await rejectCounter.flush();
  };
  if (!queue) return { queue: new DirectQueue(), handler: direct, direct, drain };
  return {
    queue,
    handler: async (message) => {
      const verified = await pipeline.verify(message);
      if ('status' in verified) return verified;
      const { device, decoded } = verified;
      const counter = decoded.message.counter;
      const { topic, payload, receivedAt } = message;
      await queue.enqueue({ ...device, counter, topic, payload, receivedAt });
      return { status: 'queued', deviceId: device.deviceId, counter };
    },
    direct,
    drain,
  };
}

async function openJetStream(
  config: IngestQueueConfig,
  pipeline: IngestPipeline,
  log: Logger,
  now: () => number,
): Promise<JetStreamQueue> {
  const queue = await JetStreamQueue.open({
    url: config.url,
    ...(config.stream !== undefined ? { stream: config.stream } : {}),
    ...(config.maxDeliveries !== undefined ? { maxDeliveries: config.maxDeliveries } : {}),
    log,
    now,
  });
  await queue.start(async ({ topic, payload, receivedAt, deviceId, storeId, deviceClass }) => {
    await pipeline.store({ topic, payload, receivedAt }, { deviceId, storeId, deviceClass });
  });
  log.info({ queue: queue.layout.stream, url: config.url }, 'ingest queue on JetStream');
  return queue;
}
