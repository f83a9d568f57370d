import { readFile } from 'node:fs/promises';
import mqtt, { type IClientOptions, type ISubscriptionMap, type MqttClient } from 'mqtt';
import type { FleetCa, IdentityContext } from '../identity/index.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { ExternalBrokerConfig } from '../../platform/platform-config.js';
import type { PlatformLayout } from '../../platform/platform-layout.js';
import type { DeviceBroker, DeviceMessageHandler, PublishOptions } from './device-broker.js';
import { ensureServiceCredentials } from './service-identity.js';

/** What ingest subscribes to: every topic a device publishes on (contract topics.ts). */
export const DEVICE_PUBLISH_FILTERS = [
  'dt/+/+/+',
  'cmd/+/response',
  'shadow/+/reported',
  'jobs/+/status',
];
export const DEFAULT_SHARE_GROUP = 'fleetplane-ingest';
/**
 * mqtt.js hands a QoS 1 message to `handleMessage` and sends the PUBACK after its callback, one
 * message at a time per connection. Several connections in the same shared-subscription group
 * keep many messages in flight, so the group commit still fills its batches.
 */
export const DEFAULT_CONNECTIONS = 16;

export interface ExternalBrokerOptions {
  readonly config: ExternalBrokerConfig;
  readonly layout: PlatformLayout;
  readonly identity: IdentityContext;
  readonly ca: FleetCa;
  readonly handler: DeviceMessageHandler;
  readonly log: Logger;
  readonly connections?: number;
  readonly now?: () => number;
}

/**
 * Ingest from an external MQTT broker (Mosquitto, EMQX, …) through a shared subscription, so
 * any number of ingest processes split the devices' messages. The broker enforces the device
 * ACL (see the generated Mosquitto configuration); ingest still checks topic, certificate key
 * and revocation for every message. A message is acknowledged only once it is durable; when
 * storing fails the connection is dropped, and the broker delivers the message again.
 */
export class ExternalBrokerSource implements DeviceBroker {
  #clients: MqttClient[] = [];
  /**
   * What the platform sends (error feedback, commands, jobs) goes over a connection of its own.
   * mqtt.js reads nothing more on a connection while a message handler is pending, and the
   * handler of a rejected message waits for its error feedback's PUBACK: sent over a consuming
   * connection, that PUBACK could never be read. After a Mosquitto restart every connection
   * was redelivered a replay at once and ingest stopped for good (the mosquitto-restart fault).
   */
  #publisher: MqttClient | undefined;
  #closing = false;
  /** Rejected by close(): what a publish in flight races against. */
  readonly #closed = closedSignal();

  constructor(private readonly options: ExternalBrokerOptions) {}

  async start(): Promise<{ url: string }> {
    const { config } = this.options;
    const tls = await this.#tlsOptions();
    const group = config.group ?? DEFAULT_SHARE_GROUP;
    const base = config.clientId ?? `${group}-${process.pid}`;
    const count = this.options.connections ?? config.connections ?? DEFAULT_CONNECTIONS;
    this.#publisher = await mqtt.connectAsync(config.url, {
      ...tls,
      clientId: `${base}-out`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 1000,
      ...(config.username !== undefined ? { username: config.username } : {}),
      ...(config.password !== undefined ? { password: config.password } : {}),
    } satisfies IClientOptions);
    this.#publisher.on('error', (error) =>
      this.options.log.warn({ err: error.message }, 'external broker error (publishing)'),
    );
    for (let i = 0; i < count; i++) {
      const client = await mqtt.connectAsync(config.url, {
        ...tls,
        clientId: `${base}-${i}`,
        protocolVersion: 5,
        clean: false,
        // Messages for a stopped ingest wait at the broker for a day.
        properties: { sessionExpiryInterval: 86_400 },
        reconnectPeriod: 1000,
        ...(config.username !== undefined ? { username: config.username } : {}),
        ...(config.password !== undefined ? { password: config.password } : {}),
      } satisfies IClientOptions);
      client.handleMessage = (packet, done) => {
        if (this.#closing) return; // never acknowledged: the broker redelivers to another member
        const payload =
          typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        this.options
          .handler({ topic: packet.topic, payload, receivedAt: (this.options.now ?? Date.now)() })
          .then(
            () => done(),
            (error: unknown) => {
              this.options.log.error(
                { err: error, topic: packet.topic },
                'not stored; reconnecting for redelivery',
              );
              // Dropping the connection without PUBACK makes the broker send the message again.
              client.stream.destroy();
            },
          );
      };
      client.on('error', (error) =>
        this.options.log.warn({ err: error.message }, 'external broker error'),
      );
      const filters = DEVICE_PUBLISH_FILTERS.map((f) => `$share/${group}/${f}`);
      await client.subscribeAsync(filters, { qos: 1 });
      // mqtt.js subscribes again after a reconnect only when the broker says it kept no session.
      // Mosquitto 2.0 restarted with persistence says it kept one, but not its shared
      // subscriptions: ingest sat connected and got nothing while devices' messages were
      // PUBACKed and queued nowhere (decision 050). Subscribing again replaces what is there.
      client.on('connect', (connack) => {
        if (!connack.sessionPresent || this.#closing) return;
        // `resubscribe`: mqtt.js would otherwise skip filters it believes are in place.
        const again = Object.assign(
          Object.fromEntries(filters.map((f) => [f, { qos: 1 as const }])),
          { resubscribe: true },
        ) as ISubscriptionMap;
        client
          .subscribeAsync(again)
          .catch((error: unknown) =>
            this.options.log.warn(
              { err: error instanceof Error ? error.message : String(error) },
              'resubscribing to the external broker failed; the next reconnect tries again',
            ),
          );
      });
      this.#clients.push(client);
    }
    return { url: config.url };
  }

  async publish(topic: string, payload: Buffer, options: PublishOptions = {}): Promise<void> {
    const client = this.#publisher;
    if (!client || this.#closing) throw new Error('not connected to the external broker');
    // A QoS 1 publish waits for the broker's PUBACK; once the connection is ended it may never
    // come, and a platform stopping (which drains ingest, whose rejects publish feedback) must
    // not wait for it.
    const published = client.publishAsync(topic, payload, {
      qos: 1,
      retain: options.retain === true,
    });
    // Whichever loses the race may still settle; its rejection is not an error of anyone's.
    published.catch(() => undefined);
    await Promise.race([published, this.#closed.promise]);
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#closed.reject(new Error('the connection to the external broker was closed'));
    const clients = this.#publisher ? [...this.#clients, this.#publisher] : this.#clients;
    this.#clients = [];
    this.#publisher = undefined;
    await Promise.all(clients.map((c) => c.endAsync(true)));
  }

  async #tlsOptions(): Promise<Partial<IClientOptions>> {
    const { config, layout, ca } = this.options;
    if (!config.url.startsWith('mqtts:')) return {};
    const service =
      config.certFile && config.keyFile
        ? {
            keyPem: await readFile(config.keyFile, 'utf8'),
            certChainPem: await readFile(config.certFile, 'utf8'),
          }
        : await ensureServiceCredentials(layout.brokerDir, ca, new Date());
    const caPem = config.caFile
      ? await readFile(config.caFile, 'utf8')
      : ca.trustBundlePem(new Date());
    return { key: service.keyPem, cert: service.certChainPem, ca: caPem, rejectUnauthorized: true };
  }
}

function closedSignal(): { promise: Promise<never>; reject: (error: Error) => void } {
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<never>((_, r) => (reject = r));
  // Nobody may be racing it when it is rejected.
  promise.catch(() => undefined);
  return { promise, reject };
}
