import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { MAX_PACKET_BYTES } from '../../contract/index.js';
import type { FleetCa, IdentityContext, RevocationWatcher } from '../identity/index.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import { ConnectedDevices } from './connected-devices.js';
import type {
  ConnectionListener,
  DeviceBroker,
  DeviceMessageHandler,
  PublishOptions,
} from './device-broker.js';
import { isClaimSession } from './claim-gate.js';
import { DeviceHooks, type BrokerSession } from './device-hooks.js';
import { FleetTls } from './fleet-tls.js';
import { MqttServer, REASON } from './mqtt-server/index.js';
import { EdgePool } from './edges/edge-pool.js';
import { devicePeer, refusedHandshake, type DevicePeer } from './refused-handshake.js';
import { unverifiedClient } from './unverified-client.js';
import type { MessageRate } from './message-rate.js';
import type { RefusalTally } from './refusal-tally.js';
import type { ServerIdentity } from './server-identity.js';

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
  /** Edge processes holding the device connections (decision 032); 0: this process holds them. */
  readonly edges?: number;
  /** Where refused handshakes and admissions are counted for the fleet audit. */
  readonly refusals?: RefusalTally;
  /** Each device's publish rate (decision 052); `false`: none. Default DEFAULT_MESSAGE_RATE. */
  readonly messageRate?: MessageRate | false;
}

/**
 * The embedded MQTT broker: our own MQTT 3.1.1/5 server (mqtt-server/, decision 031) behind a
 * Node TLS server that demands a client certificate from the fleet CA. Admission (chain,
 * revocation, registration) runs on CONNECT; the ACL comes from the certificate; QoS 1 messages
 * are ingested before the PUBACK (decision 003), which carries the outcome to MQTT 5 devices.
 */
export class EmbeddedBroker implements DeviceBroker {
  readonly #tls: FleetTls;
  readonly #now: () => number;
  #mqtt: MqttServer<BrokerSession> | undefined;
  #server: Server | undefined;
  #unwatch: (() => void) | undefined;
  #edges: EdgePool | undefined;
  #edgePort: number | undefined;

  constructor(private readonly options: EmbeddedBrokerOptions) {
    this.#now = options.now ?? Date.now;
    this.#tls = new FleetTls({ ...options, now: this.#now });
  }

  async start(): Promise<{ url: string }> {
    const { options } = this;
    const devices = new ConnectedDevices({
      metrics: options.metrics,
      log: options.log,
      ...(options.connections ? { listener: options.connections } : {}),
      now: this.#now,
    });
    const hooks = new DeviceHooks({
      ...{ identity: options.identity, revocations: options.revocations, handler: options.handler },
      ...{ metrics: options.metrics, log: options.log, now: this.#now, tls: this.#tls, devices },
      ...(options.refusals ? { refusals: options.refusals } : {}),
      ...(options.messageRate !== undefined ? { messageRate: options.messageRate } : {}),
      publish: (topic, payload) => this.publish(topic, payload),
      kick: (clientId) => this.#mqtt?.kick(clientId, REASON.notAuthorized),
    });
    const mqtt = new MqttServer<BrokerSession>({
      hooks,
      maxPacketBytes: MAX_PACKET_BYTES,
      now: this.#now,
    });
    this.#mqtt = mqtt;

    const host = options.host === '0.0.0.0' ? 'localhost' : options.host;
    const port = options.edges ? await this.#listenOnEdges(mqtt) : await this.#listen(mqtt);
    return { url: `mqtts://${host}:${port}` };
  }

  /** Device connections on this process's own TLS server. */
  async #listen(mqtt: MqttServer<BrokerSession>): Promise<number> {
    const server = createServer(
      {
        ...this.#tls.context(),
        requestCert: true,
        // Checked in the handler below, where the refused certificate can still be named.
        rejectUnauthorized: false,
      },
      (socket) => {
        const refused = unverifiedClient(socket);
        if (refused) {
          this.#refuseHandshake(devicePeer(socket), refused);
          socket.destroy();
          return;
        }
        socket.setNoDelay(true);
        mqtt.handle(socket);
      },
    );
    // Handshakes that fail before a certificate is checked (wrong protocol, no shared cipher,
    // a timeout) end here and may name no device.
    server.on('tlsClientError', (error, socket) =>
      this.#refuseHandshake(devicePeer(socket), error),
    );
    this.#server = server;
    this.#unwatch = this.#tls.watch((context) => {
      server.setSecureContext(context);
      this.#cutOffRevoked();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  /** Device connections held by edge processes (decision 032), handed over as plaintext streams. */
  async #listenOnEdges(mqtt: MqttServer<BrokerSession>): Promise<number> {
    const { options } = this;
    const edges = new EdgePool({
      host: options.host,
      port: options.port,
      edges: options.edges ?? 1,
      context: this.#tls.context(),
      onConnection: (connection) => mqtt.handle(connection),
      onRefused: (refused) =>
        this.#refuseHandshake(
          {
            remoteAddress: refused.remoteAddress,
            ...(refused.certificate
              ? { certificate: new X509Certificate(Buffer.from(refused.certificate, 'base64')) }
              : {}),
          },
          Object.assign(new Error(refused.error), refused.code ? { code: refused.code } : {}),
        ),
      onEdgeExit: (edge, code) =>
        options.log.error(
          { edge, code },
          'an edge process exited; its devices reconnect to the others',
        ),
    });
    this.#edges = edges;
    this.#unwatch = this.#tls.watch((context) => {
      edges.setSecureContext(context);
      this.#cutOffRevoked();
    });
    const { port } = await edges.start();
    this.#edgePort = port;
    return port;
  }

  get port(): number {
    return (
      this.#edgePort ?? (this.#server?.address() as AddressInfo | null)?.port ?? this.options.port
    );
  }

  /** The edge processes' ids (none when this process holds the connections). */
  get edgePids(): number[] {
    return this.#edges?.pids ?? [];
  }

  publish(topic: string, payload: Buffer, options: PublishOptions = {}): Promise<void> {
    const mqtt = this.#mqtt;
    if (!mqtt) return Promise.reject(new Error('the broker is not running'));
    // Retained messages live in memory: lost on restart, so the platform publishes the retained
    // shadow documents again when it starts.
    return mqtt.publish(topic, payload, { qos: 1, retain: options.retain === true });
  }

  async close(): Promise<void> {
    this.#unwatch?.();
    const server = this.#server;
    const mqtt = this.#mqtt;
    this.#server = undefined;
    this.#mqtt = undefined;
    // Stop accepting first, then close the clients: server.close() waits for every connection.
    const serverClosed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    await mqtt?.close();
    await serverClosed;
    await this.#edges?.close();
    this.#edges = undefined;
  }

  #refuseHandshake(peer: DevicePeer, error: unknown): void {
    this.options.metrics.authFailures.inc({ stage: 'tls' });
    const refusal = refusedHandshake(peer, error, this.options.revocations);
    this.options.refusals?.record(refusal, this.#now());
    this.options.log.warn(refusal, 'TLS handshake refused');
  }

  /** After a revocation list change: devices it revokes lose their connection at once. */
  #cutOffRevoked(): void {
    const { revocations, log } = this.options;
    this.#mqtt?.disconnectWhere((session) => {
      if (isClaimSession(session) || !revocations.isRevoked(session.certSerialHex)) return false;
      log.warn({ device_id: session.deviceId }, 'revoked device disconnected');
      return true;
    }, REASON.notAuthorized);
  }
}
