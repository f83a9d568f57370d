import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
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

/**
 * A device's MQTT connection as firmware makes it: mutual TLS with its own certificate, client id
 * = device id, a persistent session, its four cloud topics subscribed, every message signed by
 * the secure element and sent at QoS 1. The error topic is read and handed to `onRejected`.
 */
export class DeviceLink {
  readonly rejections: ErrorFeedback[] = [];
  #listeners: ((feedback: ErrorFeedback) => void)[] = [];
  #messageListeners: ((topic: string, payload: Buffer) => void)[] = [];

  private constructor(
    readonly credentials: DeviceCredentials,
    readonly client: MqttClient,
  ) {
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
        protocolVersion: 4,
        clean: options.clean ?? false,
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

  /** Signs and sends on the message's own topic; resolves on the broker's PUBACK. */
  async send(message: DeviceMessage): Promise<void> {
    const payload = encodeSigned(message, (body) => this.credentials.secureElement.sign(body));
    const topic = topicFor(this.credentials.deviceClass, this.credentials.deviceId, message.type);
    await this.client.publishAsync(topic, Buffer.from(payload), { qos: 1 });
  }

  /** Sends raw bytes on any topic: for tests of what the cloud does with bad input. */
  async sendRaw(topic: string, payload: Uint8Array): Promise<void> {
    await this.client.publishAsync(topic, Buffer.from(payload), { qos: 1 });
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
