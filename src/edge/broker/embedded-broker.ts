import { Aedes, type Client, type PublishPacket, type Subscription } from 'aedes';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { mayPublish, maySubscribe } from '../../contract/index.js';
import {
  admitDevice,
  CheckedCertificates,
  type FleetCa,
  type IdentityContext,
  type RevocationWatcher,
} from '../identity/index.js';
import { sendRejection } from '../../pipeline/ingest/reject-feedback.js';
import type { Publisher } from '../../pipeline/ingest/ingest-pipeline.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import type {
  ConnectedDevice,
  ConnectionListener,
  DeviceBroker,
  DeviceMessageHandler,
  PublishOptions,
} from './device-broker.js';
import { refusedHandshake } from './refused-handshake.js';
import type { ServerIdentity } from './server-identity.js';
import { FleetTls } from './fleet-tls.js';

export interface EmbeddedBrokerOptions {
  readonly host: string;
  readonly port: number;
  readonly identity: IdentityContext;
  /** The fleet CA as loaded at start; reloaded when the CA files change (a rotation). */
  readonly ca: FleetCa;
  readonly revocations: RevocationWatcher;
  readonly server: ServerIdentity;
  readonly handler: DeviceMessageHandler;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly connections?: ConnectionListener;
  readonly now?: () => number;
}

interface Session extends ConnectedDevice {
  readonly publicKeySpki: string;
}

/** Where a forbidden publish is sent so that it reaches nobody: no client may subscribe to it. */
const NOWHERE = '$fleetplane/denied';

/**
 * The embedded MQTT broker: aedes behind a Node TLS server that demands a client certificate
 * from the fleet CA. Admission (chain, revocation, registration) runs on CONNECT; the ACL comes
 * from the certificate; QoS 1 messages are ingested before the PUBACK (decision 003).
 */
export class EmbeddedBroker implements DeviceBroker {
  readonly #sessions = new WeakMap<Client, Session>();
  readonly #connected = new Set<Client>();
  readonly #tls: FleetTls;
  readonly #certificates = new CheckedCertificates();
  #aedes: Aedes | undefined;
  #server: Server | undefined;
  #unwatch: (() => void) | undefined;
  readonly #now: () => number;

  constructor(private readonly options: EmbeddedBrokerOptions) {
    this.#now = options.now ?? Date.now;
    this.#tls = new FleetTls({ ...options, now: this.#now });
  }

  async start(): Promise<{ url: string }> {
    const { options } = this;
    const aedes = await Aedes.createBroker({
      id: 'fleetplane',
      authenticate: (client, _username, _password, done) => {
        this.#admit(client).then(
          () => done(null, true),
          (error: unknown) => {
            options.metrics.authFailures.inc({ stage: 'admission' });
            options.log.warn(
              {
                client_id: client.id,
                ...refusedHandshake(client.conn as TLSSocket, error, options.revocations),
              },
              'device refused at admission',
            );
            const refusal = Object.assign(new Error(String(error)), { returnCode: 5 as const });
            done(refusal, false);
          },
        );
      },
      authorizePublish: (client, packet, done) => this.#onPublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => this.#onSubscribe(client, sub, done),
    });
    this.#aedes = aedes;
    this.#skipUplinkRouting(aedes);
    aedes.on('client', (client) => this.#onConnected(client));
    aedes.on('clientDisconnect', (client) => this.#onDisconnected(client));
    aedes.on('clientError', (client, error) =>
      options.log.debug({ device_id: client.id, err: error.message }, 'client error'),
    );
    aedes.on('connectionError', (client, error) =>
      options.log.debug({ client_id: client.id, err: error.message }, 'connection error'),
    );

    const server = createServer(
      {
        ...this.#tls.context(),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket) => aedes.handle(socket),
    );
    // Once the CRL has reached the TLS context (the revocation watcher's next poll), a revoked
    // certificate is refused here, where Node often no longer shows the server the certificate:
    // this line may not name the device. Before that, admission refuses it by name.
    server.on('tlsClientError', (error, socket) => this.#refuseHandshake(socket, error));
    this.#server = server;
    this.#unwatch = this.#tls.watch((context) => {
      server.setSecureContext(context);
      this.#cutOffRevoked();
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return { url: `mqtts://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}` };
  }

  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  publish(topic: string, payload: Buffer, options: PublishOptions = {}): Promise<void> {
    const aedes = this.#aedes;
    if (!aedes) return Promise.reject(new Error('the broker is not running'));
    return new Promise((resolve, reject) => {
      // Retained messages live in aedes' in-memory persistence: lost on restart, so the platform
      // publishes the retained shadow documents again when it starts.
      aedes.publish(
        { cmd: 'publish', topic, payload, qos: 1, retain: options.retain === true, dup: false },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  async close(): Promise<void> {
    this.#unwatch?.();
    const server = this.#server;
    const aedes = this.#aedes;
    this.#server = undefined;
    this.#aedes = undefined;
    // Stop accepting first, then close the clients: server.close() waits for every connection.
    const serverClosed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await serverClosed;
  }

  #refuseHandshake(socket: TLSSocket, error: unknown): void {
    this.options.metrics.authFailures.inc({ stage: 'tls' });
    this.options.log.warn(
      refusedHandshake(socket, error, this.options.revocations),
      'TLS handshake refused',
    );
  }

  async #admit(client: Client): Promise<void> {
    // The TLS handshake has chained the certificate to the fleet's roots and issuing CAs, so
    // admission needs only the leaf (Node's native object: no JavaScript parse of the chain).
    const leaf = (client.conn as TLSSocket).getPeerX509Certificate();
    const admitted = await admitDevice(this.options.identity, leaf ? [leaf] : [], {
      now: new Date(this.#now()),
      ca: this.#tls.ca,
      isRevoked: (serial) => this.options.revocations.isRevoked(serial),
      certificates: this.#certificates,
    });
    if (client.id !== admitted.deviceId) {
      throw new Error(`client id '${client.id}' is not the certificate's ${admitted.deviceId}`);
    }
    this.#sessions.set(client, {
      deviceId: admitted.deviceId,
      storeId: admitted.storeId,
      deviceClass: admitted.deviceClass,
      certSerialHex: admitted.certSerialHex,
      publicKeySpki: admitted.publicKeySpkiBase64,
    });
  }

  #onPublish(
    client: Client | null,
    packet: PublishPacket,
    done: (error?: Error | null) => void,
  ): void {
    const session = client && this.#sessions.get(client);
    if (!session) {
      // Only the broker's own publishes (wills) arrive without a device session.
      done(client ? new Error('no session') : null);
      return;
    }
    const receivedAt = this.#now();
    if (!mayPublish(session.deviceClass, session.deviceId, packet.topic)) {
      this.#forbidden(session, packet, receivedAt);
      packet.topic = NOWHERE;
      done(null);
      return;
    }
    const publisher: Publisher = session;
    const payload =
      typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    this.options.handler({ topic: packet.topic, payload, receivedAt, publisher }).then(
      () => done(null),
      // Not stored: close without PUBACK so the device sends it again.
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /**
   * A device may publish only on its uplink topics, which no client may subscribe to (topics.ts)
   * and the platform does not subscribe to in-process: the ingest has consumed the message in
   * authorizePublish. Routing it on through aedes' emitter and offline queues reached nobody and
   * cost about a tenth of the event loop at full load (bench:ingest profile).
   */
  #skipUplinkRouting(aedes: Aedes): void {
    // aedes' own handlers call publish(packet, client, done); its typings know only (packet, done).
    type Done = (error?: Error) => void;
    type Publish = (packet: PublishPacket, client: Client | Done | null, done?: Done) => void;
    const target = aedes as unknown as { publish: Publish };
    const route = target.publish.bind(aedes);
    target.publish = (packet, client, done) => {
      if (typeof client === 'object' && client !== null && this.#sessions.has(client)) {
        done?.();
        return;
      }
      route(packet, client, done);
    };
  }

  #forbidden(session: Session, packet: PublishPacket, at: number): void {
    const { metrics, log } = this.options;
    metrics.forbidden.inc({ action: 'publish' });
    metrics.rejects.inc({ reason: 'topic' });
    log.warn(
      { device_id: session.deviceId, store_id: session.storeId, topic: packet.topic },
      'publish outside the device ACL refused',
    );
    sendRejection(
      (topic, payload) => this.publish(topic, payload),
      session.deviceId,
      { reason: 'topic', detail: `${session.deviceId} may not publish on ${packet.topic}` },
      new Date(at),
    ).catch((error: unknown) => log.error({ err: error }, 'could not publish error feedback'));
  }

  #onSubscribe(
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const session = this.#sessions.get(client);
    if (session && maySubscribe(session.deviceClass, session.deviceId, subscription.topic)) {
      done(null, subscription);
      return;
    }
    this.options.metrics.forbidden.inc({ action: 'subscribe' });
    this.options.log.warn(
      { device_id: session?.deviceId ?? client.id, topic: subscription.topic },
      'subscription outside the device ACL refused',
    );
    // A null subscription is a SUBACK failure code for that filter; the connection stays up.
    done(null, null);
  }

  #onConnected(client: Client): void {
    const session = this.#sessions.get(client);
    if (!session) return;
    this.#connected.add(client);
    this.#updateGauge();
    this.options.metrics.connections.inc({ event: 'connect' });
    this.options.log.info(
      { device_id: session.deviceId, store_id: session.storeId, device_class: session.deviceClass },
      'device connected',
    );
    this.options.connections?.connected?.(session, this.#now());
    // A certificate revoked between the TLS handshake and now must not keep the connection.
    if (this.options.revocations.isRevoked(session.certSerialHex)) client.close();
  }

  #onDisconnected(client: Client): void {
    const session = this.#sessions.get(client);
    if (!session || !this.#connected.delete(client)) return;
    this.#updateGauge();
    this.options.metrics.connections.inc({ event: 'disconnect' });
    this.options.log.info({ device_id: session.deviceId }, 'device disconnected');
    this.options.connections?.disconnected?.(session, this.#now());
  }

  #updateGauge(): void {
    const counts = { cart: 0, coldchain: 0, tool: 0 };
    for (const client of this.#connected) {
      const session = this.#sessions.get(client);
      if (session) counts[session.deviceClass]++;
    }
    for (const [deviceClass, n] of Object.entries(counts)) {
      this.options.metrics.connectedDevices.set({ device_class: deviceClass }, n);
    }
  }

  #cutOffRevoked(): void {
    for (const client of this.#connected) {
      const session = this.#sessions.get(client);
      if (session && this.options.revocations.isRevoked(session.certSerialHex)) {
        this.options.log.warn({ device_id: session.deviceId }, 'revoked device disconnected');
        client.close();
      }
    }
  }
}
