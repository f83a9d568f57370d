import type { X509Certificate } from 'node:crypto';
import type { IConnectPacket } from 'mqtt-packet';
import {
  claimTopics,
  mayClaimPublish,
  mayClaimSubscribe,
  serialOfClaimClientId,
} from '../../contract/index.js';
import {
  claimIdOf,
  ClaimService,
  claimState,
  FileClaimRegistry,
  validateDeviceChain,
  type ClaimRegistry,
  type FleetCa,
  type IdentityContext,
} from '../identity/index.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import {
  ACCEPTED,
  ConnectRefusal,
  REASON,
  type InboundPublish,
  type PublishVerdict,
} from './mqtt-server/index.js';

/** A connection that presented a claim certificate: it may ask for one serial's certificate. */
export interface ClaimSession {
  readonly kind: 'claim';
  readonly claimId: string;
  /** The serial its client id (`claim:<serial>`) names: the only one it may ask for. */
  readonly serial: string;
  readonly certSerialHex: string;
}

export function isClaimSession(session: object): session is ClaimSession {
  return (session as { kind?: unknown }).kind === 'claim';
}

const FORBIDDEN: PublishVerdict = { reasonCode: REASON.notAuthorized };

/**
 * The broker's claim-only policy (decision 044). A claim certificate is admitted only with the
 * client id `claim:<serial>`, only while its registry record is active and unexpired, and only
 * to subscribe to claim/<serial>/response and publish on claim/<serial>/request. Anything else
 * is refused (SUBACK failure, PUBACK 0x87 to MQTT 5), counted in the broker's forbidden counter
 * and logged; the connection stays up, as for devices (decision 003).
 */
export class ClaimGate {
  readonly #claims: ClaimRegistry;
  readonly #service: ClaimService;

  constructor(
    private readonly options: {
      readonly identity: IdentityContext;
      readonly metrics: PlatformMetrics;
      readonly log: Logger;
      readonly now: () => number;
      readonly publish: (topic: string, payload: Buffer) => Promise<void>;
      /** The fleet CA as the broker holds it (reloaded on rotation). */
      readonly tls: { readonly ca: FleetCa };
      readonly claims?: ClaimRegistry;
    },
  ) {
    this.#claims = options.claims ?? new FileClaimRegistry(options.identity.layout);
    const identity = { ...options.identity, now: () => new Date(options.now()) };
    this.#service = new ClaimService(identity, this.#claims);
  }

  /** The claim id of a claim certificate; undefined for a device's. */
  claimIdOf(certificate: X509Certificate | undefined): string | undefined {
    return certificate ? claimIdOf(certificate) : undefined;
  }

  /** Admits a claim certificate, or throws the ConnectRefusal to answer with. */
  async authenticate(
    connect: IConnectPacket,
    certificate: X509Certificate,
    claimId: string,
    ca: FleetCa,
  ): Promise<ClaimSession> {
    const serial = serialOfClaimClientId(connect.clientId);
    if (serial === undefined) {
      throw ConnectRefusal.badClientId(
        `a claim certificate connects with the client id claim:<serial>, not '${connect.clientId}'`,
      );
    }
    // A claim is one request and its response: a session kept after it would only let a copied
    // claim key hold broker memory for serials it never claims.
    if (connect.clean === false || (connect.properties?.sessionExpiryInterval ?? 0) > 0) {
      throw ConnectRefusal.notAuthorized('a claim connection keeps no session: connect clean');
    }
    const now = new Date(this.options.now());
    try {
      validateDeviceChain(certificate, [], ca, now);
    } catch (error) {
      throw ConnectRefusal.notAuthorized(`claim ${claimId}: ${String(error)}`);
    }
    const claim = await this.#claims.get(claimId);
    if (claim && claim.certificate.fingerprint256 !== certificate.fingerprint256) {
      throw ConnectRefusal.notAuthorized(`claim ${claimId}: not the certificate it was issued`);
    }
    const state = claimState(claim, now);
    if (state) throw ConnectRefusal.notAuthorized(`${state.reason}: ${state.detail}`);
    return {
      kind: 'claim',
      claimId,
      serial,
      certSerialHex: certificate.serialNumber.toLowerCase(),
    };
  }

  /** The one request a claim connection may make, answered on its response topic. */
  async onPublish(session: ClaimSession, publish: InboundPublish): Promise<PublishVerdict> {
    const { log, metrics } = this.options;
    if (!mayClaimPublish(session.serial, publish.topic)) {
      metrics.forbidden.inc({ action: 'publish' });
      log.warn(
        { claim_id: session.claimId, serial: session.serial, topic: publish.topic },
        'publish outside the claim policy refused',
      );
      return FORBIDDEN;
    }
    let answer;
    try {
      answer = await this.#service.handle(
        session.claimId,
        session.serial,
        publish.payload,
        this.options.tls.ca,
      );
    } catch (error) {
      log.error({ claim_id: session.claimId, serial: session.serial, err: error }, 'claim failed');
      answer = {
        issued: false,
        response: {
          schema_version: 1 as const,
          type: 'claim-response' as const,
          serial: session.serial,
          ts: new Date(this.options.now()).toISOString(),
          outcome: 'refused' as const,
          reason: 'unavailable' as const,
          detail: 'the platform could not issue now; send again later',
        },
      };
    }
    const { response } = answer;
    log.info(
      {
        claim_id: session.claimId,
        serial: session.serial,
        outcome: response.outcome,
        ...(response.reason ? { reason: response.reason } : {}),
        issued: answer.issued,
      },
      'claim request answered',
    );
    await this.options
      .publish(claimTopics.response(session.serial), Buffer.from(JSON.stringify(response)))
      .catch((error: unknown) => log.error({ err: error }, 'could not publish a claim response'));
    return ACCEPTED;
  }

  authorizeSubscribe(session: ClaimSession, filter: string): boolean {
    if (mayClaimSubscribe(session.serial, filter)) return true;
    this.options.metrics.forbidden.inc({ action: 'subscribe' });
    this.options.log.warn(
      { claim_id: session.claimId, serial: session.serial, topic: filter },
      'subscription outside the claim policy refused',
    );
    return false;
  }
}
