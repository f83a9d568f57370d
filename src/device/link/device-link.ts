import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt, { ErrorWithReasonCode, type IClientOptions, type MqttClient } from 'mqtt';
import {
  encodeSigned,
  topicFor,
  topics,
  type DeviceClass,
  type DeviceMessage,
  type ErrorFeedback,
} from '../../contract/index.js';
import type { SecureElement } from '../secure-element/secure-element.js';
import { SoftwareKeystore } from '../secure-element/software-keystore.js';

export interface DeviceCredentials {
  readonly deviceId: string;
  readonly deviceClass: DeviceClass;
  readonly secureElement: SecureElement;
  /** Device certificate then its issuing CA, as `fleetplane provision` writes them. */
  readonly certChainPem: string;
  /** The fleet's roots, to authenticate the broker. */
  readonly trustPem: string;
}

/** Reads what `fleetplane provision --out DIR` wrote for one device. */
export async function loadProvisionedDevice(dir: string): Promise<DeviceCredentials> {
  const info = JSON.parse(await readFile(join(dir, 'device.json'), 'utf8')) as {
    serial: string;
    class?: DeviceClass;
  };
  const keystore = await SoftwareKeystore.open(dir);
  if (!keystore) throw new Error(`no device key in ${dir}`);
  const [cert, chain, trust] = await Promise.all(
    ['device.cert.pem', 'chain.pem', 'trust.pem'].map((f) => readFile(join(dir, f), 'utf8')),
  );
  return {
    deviceId: info.serial,
    deviceClass: info.class ?? 'cart',
    secureElement: keystore,
    certChainPem: `${cert!.trim()}\n${chain!.trim()}\n`,
    trustPem: trust!,
  };
}

/** A week: how long the broker keeps the device's session (and what waits in it) while it is away. */
const NO_MATCHING_SUBSCRIBERS = 0x10;
const SESSION_EXPIRY_S = 7 * 24 * 3600;
/** The pause before a message no subscriber took may go again: the broker's subscribers come back in seconds. */
const NOT_TAKEN_PAUSE_MS = 1000;

/** The broker took the message and gave it to no one (MQTT 5 PUBACK 0x10): send it again later. */
export class NotTakenError extends Error {
  constructor(topic: string) {
    super(`the broker had no subscriber for ${topic} (PUBACK 0x10); the message stays queued`);
    this.name = 'NotTakenError';
  }
}

/**
 * A device's MQTT connection as firmware makes it: mutual TLS with its own certificate, client id
 * = device id, MQTT 5 with a persistent session, its four cloud topics subscribed, every message
 * signed by the secure element and sent at QoS 1. The error topic is read and handed to
 * `onRejected`.
 *
 * MQTT 5 because of one PUBACK code: 0x10, no matching subscribers. An external broker answers it
 * when no ingest holds a subscription, as Mosquitto does after a restart until ingest subscribes
 * again (it does not persist shared subscriptions; decision 050). A 3.1.1 PUBACK says nothing, so
 * such a message would count as delivered and be lost; here it stays queued and goes again.
 */
export class DeviceLink {
  readonly rejections: ErrorFeedback[] = [];
  #listeners: ((feedback: ErrorFeedback) => void)[] = [];
  #messageListeners: ((topic: string, payload: Buffer) => void)[] = [];
  /** Message ids whose PUBACK said no subscriber took them, until their publish settles. */
  readonly #notTaken = new Set<number>();

  private constructor(
    readonly credentials: DeviceCredentials,
    readonly client: MqttClient,
  ) {
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback' && packet.reasonCode === NO_MATCHING_SUBSCRIBERS) {
        if (packet.messageId !== undefined) this.#notTaken.add(packet.messageId);
      }
    });
    client.on('message', (topic, payload) => {
      for (const listener of this.#messageListeners) listener(topic, payload);
      if (topic !== topics.errors(credentials.deviceId)) return;
      const feedback = JSON.parse(payload.toString('utf8')) as ErrorFeedback;
      this.rejections.push(feedback);
      for (const listener of this.#listeners) listener(feedback);
    });
  }

  static async connect(
    url: string,
    credentials: DeviceCredentials,
    options: {
      clean?: boolean;
      reconnect?: boolean;
      connectTimeoutMs?: number;
      /**
       * Sees every message from the start: a persistent session delivers what waited for the
       * device right after CONNACK, before a listener added later would be in place.
       */
      onMessage?: (topic: string, payload: Buffer) => void;
    } = {},
  ): Promise<DeviceLink> {
    const client = await connectOnce(
      url,
      {
        clientId: credentials.deviceId,
        protocolVersion: 5,
        clean: options.clean ?? false,
        ...(options.clean === true
          ? {}
          : { properties: { sessionExpiryInterval: SESSION_EXPIRY_S } }),
        key: pemKeyFor(credentials),
        cert: credentials.certChainPem,
        ca: credentials.trustPem,
        rejectUnauthorized: true,
        reconnectPeriod: options.reconnect === false ? 0 : 1000,
        connectTimeout: options.connectTimeoutMs ?? 10_000,
      },
      options.onMessage,
    );
    const link = new DeviceLink(credentials, client);
    const id = credentials.deviceId;
    const subscribed = client.subscribeAsync(
      [
        topics.errors(id),
        topics.commandRequest(id),
        topics.shadowDesired(id),
        topics.jobNotify(id),
      ],
      { qos: 1 },
    );
    await untilClosed(client, subscribed, `could not subscribe at ${url}`);
    return link;
  }

  onRejected(listener: (feedback: ErrorFeedback) => void): void {
    this.#listeners.push(listener);
  }

  /** Every message the cloud sends on the device's topics (commands, desired shadow, errors). */
  onMessage(listener: (topic: string, payload: Buffer) => void): void {
    this.#messageListeners.push(listener);
  }

  /** Called once when the connection is gone (closed, refused, or the network dropped). */
  onClose(listener: () => void): void {
    this.client.once('close', listener);
  }

  /**
   * Signs and sends on the message's own topic; resolves on the broker's PUBACK, whatever its
   * code but one: a refusal (0x80 and up) is final, and its reason comes on the error topic too.
   * Rejects with NotTakenError when no subscriber took the message.
   */
  async send(message: DeviceMessage): Promise<void> {
    const payload = encodeSigned(message, (body) => this.credentials.secureElement.sign(body));
    const topic = topicFor(this.credentials.deviceClass, this.credentials.deviceId, message.type);
    await this.sendRaw(topic, payload);
  }

  /** Sends bytes on any topic as `send` does: for firmware's queue, and tests of bad input. */
  async sendRaw(topic: string, payload: Uint8Array): Promise<void> {
    let settled: { messageId?: number } | undefined;
    try {
      settled = await this.client.publishAsync(topic, Buffer.from(payload), { qos: 1 });
    } catch (error) {
      if (error instanceof ErrorWithReasonCode && error.code >= 0x80) return;
      throw error;
    }
    const id = settled?.messageId;
    if (id === undefined || !this.#notTaken.delete(id)) return;
    await new Promise((resolve) => setTimeout(resolve, NOT_TAKEN_PAUSE_MS));
    throw new NotTakenError(topic);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

function pemKeyFor(credentials: DeviceCredentials): string {
  const element = credentials.secureElement;
  if (element instanceof SoftwareKeystore) return element.exportTlsKeyPem();
  throw new Error('TLS with a hardware secure element needs an engine or provider (not yet)');
}

/**
 * Resolves on CONNACK and fails on the first error or close before it. Under TLS 1.3 a broker
 * refuses a client certificate after the client thinks the handshake is done, so the refusal
 * shows up as a closed socket, which mqtt.js's connectAsync would wait on forever.
 */
function connectOnce(
  url: string,
  options: IClientOptions,
  onMessage?: (topic: string, payload: Buffer) => void,
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, options);
    if (onMessage) client.on('message', onMessage);
    const fail = (why: string) => {
      client.removeAllListeners('connect');
      client.end(true);
      reject(new Error(`could not connect to ${url}: ${why}`));
    };
    const onError = (error: Error) => fail(error.message);
    const onClose = () =>
      fail('the broker closed the connection (certificate refused or revoked?)');
    client.once('error', onError);
    client.once('close', onClose);
    client.once('connect', () => {
      client.off('error', onError);
      client.off('close', onClose);
      resolve(client);
    });
  });
}

/**
 * Without mqtt.js's own reconnect, a request pending when the connection closes never settles:
 * a SUBACK that never comes would hang the caller for good. The close rejects it instead.
 */
async function untilClosed<T>(client: MqttClient, pending: Promise<T>, what: string): Promise<T> {
  let onClose: (() => void) | undefined;
  const closed = new Promise<never>((_, reject) => {
    onClose = () => reject(new Error(`${what}: the connection closed`));
    client.once('close', onClose);
  });
  try {
    return await Promise.race([pending, closed]);
  } catch (error) {
    client.end(true);
    throw error;
  } finally {
    client.off('close', onClose!);
  }
}
