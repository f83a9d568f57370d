import mqttPacket, { type IConnackPacket } from 'mqtt-packet';
import type { OutboundMessage } from './server-types.js';
import type { ReasonCode } from './reason-codes.js';

export type ProtocolVersion = 3 | 4 | 5;

/**
 * CONNACK "unacceptable protocol version" in the 3.1.1 layout: what a client whose CONNECT names
 * a protocol level mqtt-packet cannot even parse gets (3.1.1 section 3.1.2.2; MQTT 5 clients
 * read the same bytes as reason 0x01, which 5 keeps for exactly this case).
 */
export const UNKNOWN_VERSION_CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x01]);

/** A PUBLISH still unanswered: `code` is -1 until the owner's verdict, -2 when it failed. */
export interface InboundEntry {
  readonly id: number;
  readonly qos: 0 | 1;
  code: number;
}
export const PENDING = -1;
export const FAILED = -2;

/**
 * The PUBACKs of settled QoS 1 entries as one buffer, so a burst of them leaves in one write (one
 * TLS record) rather than one each. Encoded by hand: this is the hot path of ingest. An MQTT 5
 * PUBACK with reason 0 may omit the code (spec 3.4.2.1), so it has the 3.1.1 form.
 */
export function encodePubacks(entries: readonly InboundEntry[], version: ProtocolVersion): Buffer {
  let size = 0;
  for (const e of entries) {
    if (e.qos === 1) size += version === 5 && e.code !== 0 ? 5 : 4;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of entries) {
    if (e.qos !== 1) continue;
    const withCode = version === 5 && e.code !== 0;
    out[at] = 0x40;
    out[at + 1] = withCode ? 3 : 2;
    out[at + 2] = e.id >> 8;
    out[at + 3] = e.id & 0xff;
    if (withCode) out[at + 4] = e.code;
    at += withCode ? 5 : 4;
  }
  return out;
}

/** What the server announces to an MQTT 5 client in its CONNACK. */
export interface Announced {
  readonly maxPacketBytes: number;
  readonly receiveMaximum: number;
  /** Set when the server keeps the session for less than the client asked. */
  readonly sessionExpirySeconds?: number;
}

export function encodeConnack(
  version: ProtocolVersion,
  sessionPresent: boolean,
  code: { readonly returnCode: number; readonly reasonCode: number },
  announced?: Announced,
): Buffer {
  if (version !== 5) {
    return mqttPacket.generate(
      { cmd: 'connack', sessionPresent, returnCode: code.returnCode },
      { protocolVersion: version },
    );
  }
  const packet: IConnackPacket = { cmd: 'connack', sessionPresent, reasonCode: code.reasonCode };
  if (announced) {
    packet.properties = {
      maximumPacketSize: announced.maxPacketBytes,
      receiveMaximum: announced.receiveMaximum,
      // QoS 2 is refused; the device protocol uses QoS 1 for everything.
      maximumQoS: 1,
      retainAvailable: true,
      // The device ACL allows exact topics only (maySubscribe in contract/topics.ts).
      wildcardSubscriptionAvailable: false,
      sharedSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
      topicAliasMaximum: 0,
      ...(announced.sessionExpirySeconds !== undefined
        ? { sessionExpiryInterval: announced.sessionExpirySeconds }
        : {}),
    };
  }
  return mqttPacket.generate(packet, { protocolVersion: 5 });
}

export function encodeDisconnect(reasonCode: ReasonCode): Buffer {
  return mqttPacket.generate({ cmd: 'disconnect', reasonCode }, { protocolVersion: 5 });
}

export const PINGRESP = Buffer.from([0xd0, 0x00]);

export function encodePublish(
  message: OutboundMessage,
  messageId: number,
  dup: boolean,
  version: ProtocolVersion,
): Buffer {
  const { topic, payload, qos, retain } = message;
  return mqttPacket.generate(
    { cmd: 'publish', topic, payload, qos, retain, dup, ...(qos > 0 ? { messageId } : {}) },
    { protocolVersion: version },
  );
}

/** Bytes of a packet on the wire, fixed header included, from its remaining length. */
export function packetBytes(remainingLength: number): number {
  const lengthBytes =
    remainingLength < 128 ? 1 : remainingLength < 16_384 ? 2 : remainingLength < 2_097_152 ? 3 : 4;
  return 1 + lengthBytes + remainingLength;
}

/** Bytes of the PUBLISH `encodePublish` would write, without encoding it. */
export function publishBytes(message: OutboundMessage, version: ProtocolVersion): number {
  const remaining =
    2 +
    Buffer.byteLength(message.topic) +
    (message.qos > 0 ? 2 : 0) +
    (version === 5 ? 1 : 0) +
    message.payload.length;
  return packetBytes(remaining);
}

/**
 * Whether a string mqtt-packet decoded held ill-formed UTF-8: it decodes with Buffer#toString,
 * which puts U+FFFD in place of each bad sequence instead of failing. MQTT makes ill-formed
 * UTF-8 in a topic a malformed packet (5.0 section 1.5.4, 3.1.1 section 1.5.3). A well-formed
 * U+FFFD is refused too: no topic of the device protocol has one.
 */
export function hadIllFormedUtf8(text: string): boolean {
  return text.includes('\uFFFD');
}

/** A topic a PUBLISH may carry: not empty, no wildcard (spec 4.7.1), no NUL (1.5.4). */
export function isTopicName(topic: string): boolean {
  return (
    topic.length > 0 && !topic.includes('+') && !topic.includes('#') && !topic.includes('\u0000')
  );
}
