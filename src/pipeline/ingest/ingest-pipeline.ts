import {
  decodeDeviceMessage,
  isDeviceId,
  type DeviceMessage,
  parseDeviceTopic,
  topicFor,
  type DeviceClass,
  type RejectReason,
} from '../../contract/index.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { IngestedEvent } from '../../stores/entities/entity-store.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import { BatchWriter, type BatchWriterOptions, type FreshRecord } from './batch-writer.js';
import type { DeviceDirectory } from './device-directory.js';
import { FirmwareMemory } from './firmware-memory.js';
import { sendRejection, type Rejection } from './reject-feedback.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { StoreOutage } from './store-outage.js';

/** Who published, when the broker knows it from the TLS client certificate. */
export interface Publisher {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  /** DER SPKI (base64) of the certificate the connection presented. */
  readonly publicKeySpki: string;
}

export interface InboundMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /** Arrival at the platform, ms since epoch. */
  readonly receivedAt: number;
  readonly publisher?: Publisher;
}

export type IngestOutcome =
  | { readonly status: 'stored'; readonly deviceId: string; readonly counter: number }
  | { readonly status: 'duplicate'; readonly deviceId: string; readonly counter: number }
  | { readonly status: 'rejected'; readonly reason: RejectReason; readonly deviceId?: string };

/**
 * A message that passed every check before the store (decoded, from a known device that is not
 * revoked, on its own topic, its signature verified): what the ingest queue carries.
 */
export interface VerifiedMessage {
  readonly message: InboundMessage;
  readonly device: Pick<Publisher, 'deviceId' | 'storeId' | 'deviceClass'>;
  readonly decoded: VerifiedParts;
}

/** The decoded parts of a message the store needs. */
export interface VerifiedParts {
  readonly message: DeviceMessage;
  readonly bodyText: string;
  readonly signature: Uint8Array;
}

/** Where rejections go: the device's error topic on whichever broker carries it. */
export type FeedbackPublisher = (topic: string, payload: Buffer) => Promise<void>;

export interface IngestPipelineDeps {
  readonly telemetry: TelemetryStore;
  readonly devices: DeviceDirectory;
  readonly verifier: SignatureVerifier;
  readonly feedback: FeedbackPublisher;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly batch?: BatchWriterOptions;
  readonly now?: () => number;
  /**
   * Told after each durable batch, with the events it stored for the first time in seq order, so
   * the entity projector can apply them without reading them back.
   */
  readonly onStored?: (events: readonly IngestedEvent[]) => void;
  /**
   * Told of each reject whose device is authenticated (its TLS certificate, or a signature that
   * verified), for the per-device reject counter; a client that proved nothing is never named.
   */
  readonly onDeviceReject?: (deviceId: string, reason: RejectReason, at: number) => void;
}

/**
 * The async filter of the seed: size, parse, schema, topic, signature, dedup, store. Every
 * message ends stored, reported as a duplicate, or rejected with a reason on the device's error
 * topic; the promise rejects only when the telemetry store could not take it, and then the
 * caller must leave the message unacknowledged so the device sends it again.
 */
export class IngestPipeline {
  readonly #writer: BatchWriter;
  readonly #now: () => number;
  #inFlight = 0;
  /** Each device's last reported firmware version, for the firmware cut of the metrics. */
  readonly #firmware = new FirmwareMemory();
  /** The stored-messages counter per type, its labels hashed once rather than per message. */
  readonly #storedCounters = new Map<string, { inc(): void }>();
  #idle: (() => void)[] = [];

  constructor(private readonly deps: IngestPipelineDeps) {
    this.#now = deps.now ?? Date.now;
    const outage = new StoreOutage({
      log: deps.log,
      writable: deps.metrics.storeWritable,
      now: this.#now,
    });
    this.#writer = new BatchWriter(deps.telemetry, {
      ...deps.batch,
      onBatch: (size, fresh) => {
        // A batch of resent messages only (stored before) commits without taking any space: it
        // says nothing about a full disk, and ending the outage on it made it flap.
        if (fresh.length > 0) outage.succeeded();
        deps.metrics.batchSize.observe(size);
        deps.onStored?.(fresh.map(toIngested));
      },
      onFailure: (error) => {
        deps.metrics.storeFailures.inc();
        outage.failed(error);
      },
    });
  }

  async submit(message: InboundMessage): Promise<IngestOutcome> {
    return this.#tracked(async () => {
      const verified = await this.#verify(message);
      return 'status' in verified ? verified : this.#store(verified);
    });
  }

  /**
   * The checks before the store, for the broker-facing side of an ingest queue (decision 055): a
   * rejected outcome has gone to the device's error topic, a verified message is ready to queue.
   */
  async verify(message: InboundMessage): Promise<VerifiedMessage | IngestOutcome> {
    return this.#tracked(() => this.#verify(message));
  }

  /**
   * The store side of an ingest queue: stores a message `verify` passed (decoded again from its
   * bytes, the signature not checked again). Rejects when the store could not take it, or when
   * the bytes no longer decode (which a queue that keeps them as they came cannot cause).
   */
  async store(message: InboundMessage, device: VerifiedMessage['device']): Promise<IngestOutcome> {
    return this.#tracked(() => {
      const decoded = decodeDeviceMessage(message.payload);
      if (!decoded.ok) {
        throw new Error(`a queued message does not decode: ${decoded.reason}: ${decoded.detail}`);
      }
      if (decoded.message.device_id !== device.deviceId) {
        throw new Error(
          `a queued message of ${decoded.message.device_id} is labelled ${device.deviceId}`,
        );
      }
      return this.#store({ message, device, decoded });
    });
  }

  async #tracked<T>(work: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work();
    } finally {
      if (--this.#inFlight === 0) for (const wake of this.#idle.splice(0)) wake();
    }
  }

  /** Resolves when every message submitted so far has an outcome. */
  async drain(): Promise<void> {
    await this.#writer.flush();
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  async #verify(message: InboundMessage): Promise<VerifiedMessage | IngestOutcome> {
    const topic = parseDeviceTopic(message.topic);
    const topicDevice = message.publisher?.deviceId ?? topic?.deviceId;

    const decoded = decodeDeviceMessage(message.payload);
    if (!decoded.ok) {
      return this.#reject(topicDevice ?? decoded.deviceId, message, {
        reason: decoded.reason,
        detail: decoded.detail,
        ...(decoded.counter !== undefined ? { counter: decoded.counter } : {}),
        ...(decoded.type !== undefined ? { type: decoded.type } : {}),
      });
    }
    const msg = decoded.message;
    const about = { counter: msg.counter, type: msg.type };

    if (!topic || topic.deviceId !== msg.device_id) {
      return this.#reject(topicDevice ?? msg.device_id, message, {
        reason: 'topic',
        detail: topic
          ? `message from ${msg.device_id} published under ${topic.deviceId}'s topic`
          : `${message.topic} is not a device topic`,
        ...about,
      });
    }
    if (message.publisher && message.publisher.deviceId !== msg.device_id) {
      return this.#reject(message.publisher.deviceId, message, {
        reason: 'topic',
        detail: `certificate is ${message.publisher.deviceId}, message claims ${msg.device_id}`,
        ...about,
      });
    }

    const device = await this.deps.devices.lookup(msg.device_id);
    if (!device) {
      return this.#reject(msg.device_id, message, {
        reason: 'unknown-device',
        detail: `${msg.device_id} is not registered`,
        ...about,
      });
    }
    if (device.revoked) {
      return this.#reject(
        msg.device_id,
        message,
        {
          reason: 'revoked',
          detail: `${msg.device_id} has been revoked`,
          ...about,
        },
        { device },
      );
    }
    const expected = topicFor(device.deviceClass, device.deviceId, msg.type);
    if (expected !== message.topic) {
      return this.#reject(
        msg.device_id,
        message,
        {
          reason: 'topic',
          detail: `a ${device.deviceClass} sends ${msg.type} on ${expected}`,
          ...about,
        },
        { device },
      );
    }

    const keys = message.publisher ? [message.publisher.publicKeySpki] : device.publicKeys;
    if (!(await this.#verifyAny(keys, decoded.body, decoded.signature))) {
      return this.#reject(
        msg.device_id,
        message,
        {
          reason: 'signature',
          detail: "signature does not verify with the device's certificate key",
          ...about,
        },
        { device },
      );
    }

    return {
      message,
      device: {
        deviceId: device.deviceId,
        storeId: device.storeId,
        deviceClass: device.deviceClass,
      },
      decoded,
    };
  }

  async #store({ message, device, decoded }: VerifiedMessage): Promise<IngestOutcome> {
    const { metrics } = this.deps;
    const msg = decoded.message;
    const about = { counter: msg.counter, type: msg.type };
    const deviceTime = Date.parse(msg.ts);
    const fresh = await this.#writer.write(
      {
        deviceId: msg.device_id,
        storeId: device.storeId,
        deviceClass: device.deviceClass,
        type: msg.type,
        counter: msg.counter,
        deviceTime,
        receivedAt: message.receivedAt,
        body: decoded.bodyText,
        signature: decoded.signature,
      },
      msg,
    );
    const storedAt = this.#now();
    if (!fresh) {
      metrics.ingested.inc({ outcome: 'duplicate', type: msg.type });
      await this.#reject(
        msg.device_id,
        message,
        {
          reason: 'replay',
          detail: `counter ${msg.counter} was stored before; if you re-sent it, it is delivered`,
          ...about,
        },
        { count: false, device },
      );
      return { status: 'duplicate', deviceId: msg.device_id, counter: msg.counter };
    }
    this.#storedCounter(msg.type).inc();
    this.#firmware.note(msg);
    metrics.cuts.stored(device.deviceClass, device.storeId, this.#firmware.of(msg.device_id));
    metrics.arrivalToStored.observe(Math.max(0, storedAt - message.receivedAt) / 1000);
    metrics.publishToArrival.observe(Math.max(0, message.receivedAt - deviceTime) / 1000);
    metrics.publishToStored.observe(Math.max(0, storedAt - deviceTime) / 1000);
    return { status: 'stored', deviceId: msg.device_id, counter: msg.counter };
  }

  #storedCounter(type: string): { inc(): void } {
    let counter = this.#storedCounters.get(type);
    if (!counter) {
      counter = this.deps.metrics.ingested.labels({ outcome: 'stored', type });
      this.#storedCounters.set(type, counter);
    }
    return counter;
  }

  async #verifyAny(
    keys: readonly string[],
    body: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean> {
    for (const publicKeySpki of keys) {
      if (await this.deps.verifier.verify({ publicKeySpki, body, signature })) return true;
    }
    return false;
  }

  async #reject(
    deviceId: string | undefined,
    message: InboundMessage,
    rejection: Rejection,
    options: {
      /** False for a replay: counted as a duplicate, not a rejected message; its signature verified. */
      readonly count?: boolean;
      /** Whose it was, once the directory said (else the certificate's, when there is one). */
      readonly device?: Pick<Publisher, 'deviceClass' | 'storeId'>;
    } = {},
  ): Promise<IngestOutcome> {
    const { metrics, log } = this.deps;
    metrics.rejects.inc({ reason: rejection.reason });
    if (options.count !== false)
      metrics.ingested.inc({ outcome: 'rejected', type: rejection.type ?? 'unknown' });
    const who = options.device ?? message.publisher;
    if (who && deviceId !== undefined)
      metrics.cuts.rejected(who.deviceClass, who.storeId, this.#firmware.of(deviceId));
    // A replay's signature verified; any other reject names a device only through the
    // certificate the connection presented (the broker checked it), never the message's claim.
    const authenticated = options.count === false ? deviceId : message.publisher?.deviceId;
    if (authenticated !== undefined) {
      this.deps.onDeviceReject?.(authenticated, rejection.reason, this.#now());
    }
    log.warn(
      {
        device_id: deviceId,
        reason: rejection.reason,
        counter: rejection.counter,
        message_type: rejection.type,
        topic: message.topic,
      },
      `rejected: ${rejection.detail}`,
    );
    if (deviceId !== undefined && isDeviceId(deviceId)) {
      try {
        await sendRejection(this.deps.feedback, deviceId, rejection, new Date(this.#now()));
      } catch (error) {
        log.error({ err: error, device_id: deviceId }, 'could not publish error feedback');
      }
    }
    return { status: 'rejected', reason: rejection.reason, ...(deviceId ? { deviceId } : {}) };
  }
}

function toIngested({ record, message, seq }: FreshRecord): IngestedEvent {
  return {
    seq,
    deviceId: record.deviceId,
    storeId: record.storeId,
    deviceClass: record.deviceClass,
    type: record.type,
    counter: record.counter,
    deviceTime: record.deviceTime,
    receivedAt: record.receivedAt,
    message,
  };
}
