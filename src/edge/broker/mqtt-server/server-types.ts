import type { IConnectPacket } from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import type { PubackReasonCode } from './reason-codes.js';

/** What a client published, as the owner sees it. */
export interface InboundPublish {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/**
 * The owner's answer to a publish: `reasonCode` 0 when accepted, otherwise why not. An MQTT 5
 * client reads it in its PUBACK; a 3.1.1 PUBACK has no room for it.
 */
export interface PublishVerdict {
  readonly reasonCode: PubackReasonCode;
}

export const ACCEPTED: PublishVerdict = Object.freeze({ reasonCode: 0 });

/** A server-side message: sent by the owner through `MqttServer.publish`. */
export interface OutboundMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/**
 * What the owner decides. The server speaks the protocol; who may connect, what a publish means
 * and who may subscribe to what are the owner's (the embedded broker's) business.
 */
export interface MqttServerHooks<P> {
  /**
   * Admits a CONNECT, resolving with who the client is. Reject with a `ConnectRefusal` to choose
   * the CONNACK code; any other error is answered "server unavailable".
   */
  authenticate(connect: IConnectPacket, stream: Duplex): Promise<P>;
  /**
   * Takes a client's publish. The QoS 1 PUBACK goes out when the promise resolves (in the order
   * the publishes came in); a rejected promise means the message was not taken: the connection is
   * closed without the PUBACK so that the client sends it again.
   */
  onPublish(principal: P, publish: InboundPublish): Promise<PublishVerdict>;
  /**
   * Asked before each publish is taken: 0 takes it now (the owner counts it against the client's
   * rate), more is how many milliseconds until the client may publish again. Meanwhile the server
   * stops reading the connection (TCP pushes back on the client; nothing is refused or lost) and
   * asks again for the same publish when the time is up.
   */
  publishDelayMs?(principal: P, clientId: string): number;
  /** Whether this client may subscribe with `filter` (an exact topic: the server refuses wildcards). */
  authorizeSubscribe(principal: P, filter: string): boolean;
  /**
   * After the SUBACK, with the filters this SUBSCRIBE added to the session (not those it only
   * renewed): a session that did not hold them has missed whatever was published on them before.
   */
  subscribed?(principal: P, filters: readonly string[]): void;
  /** After the CONNACK. */
  connected?(principal: P, clientId: string): void;
  /** Once per connection that had been connected, whatever ended it. */
  disconnected?(principal: P, clientId: string): void;
  /** A connection failed or broke the protocol; for a debug log line. */
  connectionError?(error: Error, clientId: string | undefined): void;
}

export interface MqttServerOptions<P> {
  readonly hooks: MqttServerHooks<P>;
  /** Largest packet taken from a client, fixed header included; announced to MQTT 5 clients. */
  readonly maxPacketBytes: number;
  /**
   * Publishes taken from one connection whose PUBACK has not gone out yet, at most; past it the
   * connection is not read. Announced as Receive Maximum to MQTT 5 clients. Also the most QoS 1
   * messages the server keeps in flight to one client. Default 64.
   */
  readonly receiveMaximum?: number;
  /** QoS 1 messages kept for one session while the client is away; the oldest go first. Default 1,000. */
  readonly maxQueuedPerSession?: number;
  /** The longest a session outlives its connection (MQTT 5 expiry is capped to it; 3.1.1 persistent sessions get it). Default 7 days. */
  readonly maxSessionExpirySeconds?: number;
  /** A connection that has not sent CONNECT within this is closed. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** How often the one shared timer checks keep-alives, closes and session expiry. Default 1 s. */
  readonly sweepIntervalMs?: number;
  readonly now?: () => number;
}
