import type { IConnectPacket } from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import { mayPublish, maySubscribe } from '../../contract/index.js';
import {
  admitDevice,
  CheckedCertificates,
  type IdentityContext,
  type RevocationWatcher,
} from '../identity/index.js';
import { sendRejection } from '../../pipeline/ingest/reject-feedback.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import { ClaimGate, isClaimSession, type ClaimSession } from './claim-gate.js';
import type { ConnectedDevices } from './connected-devices.js';
import type { ConnectedDevice, DeviceMessageHandler } from './device-broker.js';
import type { FleetTls } from './fleet-tls.js';
import {
  ConnectRefusal,
  REASON,
  type InboundPublish,
  type MqttServerHooks,
  type PublishVerdict,
} from './mqtt-server/index.js';
import { pubackVerdict } from './puback-reasons.js';
import { devicePeer, refusedHandshake } from './refused-handshake.js';
import type { RefusalTally } from './refusal-tally.js';
import { ConnectRateLimiter, type ConnectRate } from './connect-rate.js';
import { MessageRateLimiter, type MessageRate } from './message-rate.js';

/** A connected device as the broker knows it: from its certificate, at admission. */
export interface DeviceSession extends ConnectedDevice {
  /** DER SPKI (base64) of the certificate's key, for the ingest's signature check. */
  readonly publicKeySpki: string;
}

/** Whoever holds a connection: a device, or a factory's claim certificate (decision 044). */
export type BrokerSession = DeviceSession | ClaimSession;

const FORBIDDEN: PublishVerdict = { reasonCode: REASON.notAuthorized };

/**
 * The embedded broker's decisions, as the MQTT server's hooks: admission from the TLS client
 * certificate, the per-device ACL from the certificate alone, and ingest before the PUBACK
 * (decision 003). Device publishes go to the ingest handler only and are never routed to other
 * clients: no client may subscribe to an uplink topic (topics.ts), and routing them reached
 * nobody while costing about a tenth of the event loop under aedes (decision 022). A claim
 * certificate (decision 044) is recognised by its SAN and handed to the claim gate, whose
 * claim-only policy then decides everything that connection does.
 */
export class DeviceHooks implements MqttServerHooks<BrokerSession> {
  /** Certificates admitted before, so a reconnect is not parsed and chained again. */
  readonly #certificates = new CheckedCertificates();
  readonly #claims: ClaimGate;
  readonly #connectRate: ConnectRateLimiter;
  /** Absent: no message rate (benchmarks measuring the platform's ceiling). */
  readonly #messageRate: MessageRateLimiter | undefined;

  constructor(
    private readonly options: {
      readonly identity: IdentityContext;
      readonly tls: FleetTls;
      readonly revocations: RevocationWatcher;
      readonly handler: DeviceMessageHandler;
      readonly devices: ConnectedDevices;
      readonly metrics: PlatformMetrics;
      readonly log: Logger;
      readonly now: () => number;
      readonly refusals?: RefusalTally;
      readonly connectRate?: ConnectRate;
      /** Each device's publish rate; `false` sets none. Default DEFAULT_MESSAGE_RATE. */
      readonly messageRate?: MessageRate | false;
      /** The platform's own publishes to devices (error feedback). */
      readonly publish: (topic: string, payload: Buffer) => Promise<void>;
      /** Closes one device's connection (revoked while it was being admitted). */
      readonly kick: (clientId: string) => void;
    },
  ) {
    this.#claims = new ClaimGate(options);
    this.#connectRate = new ConnectRateLimiter(options.connectRate);
    this.#messageRate =
      options.messageRate === false ? undefined : new MessageRateLimiter(options.messageRate);
  }

  async authenticate(connect: IConnectPacket, stream: Duplex): Promise<BrokerSession> {
    const { identity, tls, revocations, metrics, log } = this.options;
    const peer = devicePeer(stream);
    const refuse = (error: unknown, refusal: ConnectRefusal): never => {
      metrics.authFailures.inc({ stage: 'admission' });
      const refused = refusedHandshake(peer, error, revocations);
      this.options.refusals?.record(refused, this.options.now());
      log.warn({ client_id: connect.clientId, ...refused }, 'device refused at admission');
      throw refusal;
    };
    const claimId = this.#claims.claimIdOf(peer.certificate);
    if (claimId !== undefined && peer.certificate) {
      try {
        return await this.#claims.authenticate(connect, peer.certificate, claimId, tls.ca);
      } catch (error) {
        return refuse(
          error,
          error instanceof ConnectRefusal ? error : ConnectRefusal.notAuthorized(String(error)),
        );
      }
    }
    let admitted;
    try {
      // The TLS handshake has chained the certificate to the fleet's roots and issuing CAs, so
      // admission needs only the leaf, as Node holds it natively (no JavaScript parse).
      admitted = await admitDevice(identity, peer.certificate ? [peer.certificate] : [], {
        now: new Date(this.options.now()),
        ca: tls.ca,
        isRevoked: (serial) => revocations.isRevoked(serial),
        certificates: this.#certificates,
      });
    } catch (error) {
      return refuse(error, ConnectRefusal.notAuthorized(String(error)));
    }
    // One session per device, named by its certificate (docs/protocol.md section 1).
    if (connect.clientId !== admitted.deviceId) {
      const why = `client id '${connect.clientId}' is not the certificate's ${admitted.deviceId}`;
      return refuse(new Error(why), ConnectRefusal.badClientId(why));
    }
    if (!this.#connectRate.take(admitted.deviceId, this.options.now())) {
      const { burst, perMinute } = this.#connectRate.rate;
      const why = `more than ${burst} connects at once or ${perMinute} a minute`;
      return refuse({ code: 'connect-rate' }, ConnectRefusal.rateExceeded(why));
    }
    return {
      deviceId: admitted.deviceId,
      storeId: admitted.storeId,
      deviceClass: admitted.deviceClass,
      certSerialHex: admitted.certSerialHex,
      publicKeySpki: admitted.publicKeySpkiBase64,
    };
  }

  async onPublish(session: BrokerSession, publish: InboundPublish): Promise<PublishVerdict> {
    if (isClaimSession(session)) return this.#claims.onPublish(session, publish);
    const receivedAt = this.options.now();
    if (!mayPublish(session.deviceClass, session.deviceId, publish.topic)) {
      this.#forbidden(session, publish.topic, receivedAt);
      return FORBIDDEN;
    }
    const { topic, payload } = publish;
    // A rejection here means "not stored": the server closes without the PUBACK.
    const outcome = await this.options.handler({ topic, payload, receivedAt, publisher: session });
    return pubackVerdict(outcome);
  }

  /**
   * A device over its message rate waits (the server stops reading it) rather than being refused:
   * a refused QoS 1 message is one a device with a full store-and-forward queue may drop
   * (decision 052). It hears why once per episode, on its error topic.
   */
  publishDelayMs(session: BrokerSession): number {
    if (this.#messageRate === undefined || isClaimSession(session)) return 0;
    const now = this.options.now();
    const verdict = this.#messageRate.take(session.deviceId, now);
    if (verdict.waitMs === 0) return 0;
    this.options.metrics.rateLimited.inc({ event: 'pause' });
    if ('episodeStarted' in verdict && verdict.episodeStarted) {
      this.#rateLimited(session, now);
    }
    return verdict.waitMs;
  }

  authorizeSubscribe(session: BrokerSession, filter: string): boolean {
    if (isClaimSession(session)) return this.#claims.authorizeSubscribe(session, filter);
    if (maySubscribe(session.deviceClass, session.deviceId, filter)) return true;
    this.options.metrics.forbidden.inc({ action: 'subscribe' });
    this.options.log.warn(
      { device_id: session.deviceId, topic: filter },
      'subscription outside the device ACL refused',
    );
    return false;
  }

  connected(session: BrokerSession, clientId: string): void {
    if (!isClaimSession(session)) this.options.devices.connected(session);
    // A certificate revoked between admission and now must not keep the connection.
    if (this.options.revocations.isRevoked(session.certSerialHex)) this.options.kick(clientId);
  }

  subscribed(session: BrokerSession, filters: readonly string[]): void {
    if (!isClaimSession(session)) this.options.devices.subscribed(session, filters);
  }

  disconnected(session: BrokerSession): void {
    if (!isClaimSession(session)) this.options.devices.disconnected(session);
  }

  connectionError(error: Error, clientId: string | undefined): void {
    if (error instanceof ConnectRefusal) return; // logged by authenticate
    this.options.log.debug({ client_id: clientId, err: error.message }, 'connection error');
  }

  #rateLimited(session: DeviceSession, at: number): void {
    const { metrics, log } = this.options;
    const { perSecond, burst } = this.#messageRate!.rate;
    metrics.rateLimited.inc({ event: 'episode' });
    this.options.refusals?.record({ device_id: session.deviceId, reason: 'message-rate' }, at);
    log.warn(
      { device_id: session.deviceId, store_id: session.storeId, per_second: perSecond, burst },
      'device over its message rate: its connection is read more slowly',
    );
    sendRejection(
      this.options.publish,
      session.deviceId,
      {
        reason: 'rate-limited',
        detail: `more than ${burst} messages at once or ${perSecond} a second: read more slowly, nothing refused`,
      },
      new Date(at),
    ).catch((error: unknown) => log.error({ err: error }, 'could not publish error feedback'));
  }

  /**
   * A publish outside the ACL (another device's topic, a type the class may not send) is
   * acknowledged (MQTT 5: reason 0x87), delivered nowhere, counted, logged and answered with
   * reason `topic` on the sender's own error topic: closing the connection would only make a
   * misconfigured device reconnect in a loop without learning why (decision 003).
   */
  #forbidden(session: DeviceSession, topic: string, at: number): void {
    const { metrics, log } = this.options;
    metrics.forbidden.inc({ action: 'publish' });
    metrics.rejects.inc({ reason: 'topic' });
    log.warn(
      { device_id: session.deviceId, store_id: session.storeId, topic },
      'publish outside the device ACL refused',
    );
    sendRejection(
      this.options.publish,
      session.deviceId,
      { reason: 'topic', detail: `${session.deviceId} may not publish on ${topic}` },
      new Date(at),
    ).catch((error: unknown) => log.error({ err: error }, 'could not publish error feedback'));
  }
}
