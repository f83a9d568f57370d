// The malformed packets of the MQTT stress stream (decision 052), by class, as raw bytes: what a
// broken or hostile client could put on the wire. Two kinds: fatal ones, after which MQTT
// requires the connection closed (3.1.1 section 4.8; MQTT 5 section 4.13: DISCONNECT with a
// reason code first when the connection was open), and refused ones, which a connected device
// gets answered one by one (a PUBACK or SUBACK with a failure code) without losing its connection.
import mqttPacket from 'mqtt-packet';

export type Version = 4 | 5;

/** A fatal class: the bytes to send on one connection, before or after a valid CONNECT. */
export interface FatalProbe {
  readonly name: string;
  /** Sent on a connection that has done CONNECT/CONNACK first. */
  readonly afterConnect: boolean;
  /** No client certificate at all: the TLS handshake is the whole exchange. */
  readonly noCertificate?: boolean;
  /** How many packets the bytes hold (a flood is many). */
  readonly packets: number;
  bytes(version: Version, deviceId: string): Buffer;
}

const gen = (packet: mqttPacket.Packet, version: Version) =>
  mqttPacket.generate(packet, { protocolVersion: version });

export function connectBytes(version: Version, clientId: string, keepalive = 0): Buffer {
  return gen(
    {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: version,
      clean: true,
      clientId,
      keepalive,
    },
    version,
  );
}

/** A PUBLISH with a raw topic (any bytes) and payload, QoS 1, laid out by hand. */
export function rawPublish(
  version: Version,
  topic: Buffer,
  payload: Buffer,
  messageId: number,
  header = 0x32,
): Buffer {
  const variable = Buffer.concat([
    u16(topic.length),
    topic,
    u16(messageId),
    version === 5 ? Buffer.from([0]) : Buffer.alloc(0),
    payload,
  ]);
  return Buffer.concat([Buffer.from([header]), varint(variable.length), variable]);
}

function u16(n: number): Buffer {
  return Buffer.from([(n >> 8) & 0xff, n & 0xff]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe]);

export const FATAL_PROBES: readonly FatalProbe[] = [
  {
    name: 'flood-before-connect',
    afterConnect: false,
    packets: 25,
    bytes: (v, id) =>
      Buffer.concat(
        Array.from({ length: 25 }, (_, i) =>
          i % 3 === 0
            ? Buffer.from([0xc0, 0x00]) // PINGREQ
            : rawPublish(v, Buffer.from(`dt/cart/${id}/health`), Buffer.from('x'), i + 1),
        ),
      ),
  },
  {
    name: 'truncated-connect',
    afterConnect: false,
    packets: 1,
    bytes: (v, id) => connectBytes(v, id).subarray(0, 9),
  },
  {
    name: 'bad-remaining-length',
    afterConnect: false,
    packets: 1,
    // A variable byte integer of five bytes: at most four are allowed.
    bytes: () => Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f]),
  },
  {
    name: 'wrong-protocol-name',
    afterConnect: false,
    packets: 1,
    bytes: (v, id) => {
      const b = Buffer.from(connectBytes(v, id));
      b.write('MQTX', 4, 'latin1');
      return b;
    },
  },
  {
    name: 'unknown-protocol-level',
    afterConnect: false,
    packets: 1,
    bytes: (v, id) => {
      const b = Buffer.from(connectBytes(v, id));
      b[8] = 9;
      return b;
    },
  },
  {
    name: 'invalid-utf8-client-id',
    afterConnect: false,
    packets: 1,
    bytes: (v) => connectWithClientId(v, INVALID_UTF8),
  },
  {
    name: 'reserved-packet-type',
    afterConnect: false,
    packets: 1,
    bytes: () => Buffer.from([0x00, 0x00]),
  },
  {
    name: 'no-certificate',
    afterConnect: false,
    noCertificate: true,
    packets: 1,
    bytes: (v, id) => connectBytes(v, id),
  },
  {
    name: 'qos-3-publish',
    afterConnect: true,
    packets: 1,
    bytes: (v, id) => rawPublish(v, Buffer.from(`dt/cart/${id}/health`), Buffer.from('x'), 1, 0x36),
  },
  {
    name: 'qos-2-publish',
    afterConnect: true,
    packets: 1,
    bytes: (v, id) => rawPublish(v, Buffer.from(`dt/cart/${id}/health`), Buffer.from('x'), 1, 0x34),
  },
  {
    name: 'length-shorter-than-topic',
    afterConnect: true,
    packets: 1,
    // Remaining length 4, topic length 200: the topic runs past the packet.
    bytes: () => Buffer.from([0x32, 0x04, 0x00, 0xc8, 0x61, 0x62]),
  },
  {
    name: 'invalid-utf8-topic',
    afterConnect: true,
    packets: 1,
    bytes: (v, id) =>
      rawPublish(
        v,
        Buffer.concat([Buffer.from(`dt/cart/${id}/`), INVALID_UTF8]),
        Buffer.from('x'),
        1,
      ),
  },
  {
    name: 'publish-over-packet-limit',
    afterConnect: true,
    packets: 1,
    // The longest topic there is (65,535 bytes) and a payload: past the 65,536-byte limit.
    bytes: (v) => rawPublish(v, Buffer.alloc(65_535, 0x74), Buffer.alloc(1_000, 0x78), 1),
  },
  {
    name: 'second-connect',
    afterConnect: true,
    packets: 1,
    bytes: (v, id) => connectBytes(v, id),
  },
  {
    name: 'subscribe-bad-flags',
    afterConnect: true,
    packets: 1,
    // SUBSCRIBE must carry flags 0010; 0000 is malformed.
    bytes: () => Buffer.from([0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x01]),
  },
];

function connectWithClientId(version: Version, clientId: Buffer): Buffer {
  const name = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54]);
  const variable = Buffer.concat([
    name,
    Buffer.from([version, 0x02, 0x00, 0x00]),
    version === 5 ? Buffer.from([0]) : Buffer.alloc(0),
    u16(clientId.length),
    clientId,
  ]);
  return Buffer.concat([Buffer.from([0x10]), varint(variable.length), variable]);
}

/** A refused class: one packet on an open MQTT 5 connection, answered by a code. */
export interface RefusedProbe {
  readonly name: string;
  readonly kind: 'publish' | 'subscribe';
  bytes(deviceId: string, messageId: number): Buffer;
}

const BIG_TOPIC_TAIL = 'h'.repeat(40_000);
const OVERSIZE_PAYLOAD = Buffer.alloc(40_000, 0x7b);

export const REFUSED_PROBES: readonly RefusedProbe[] = [
  {
    name: 'another-devices-topic',
    kind: 'publish',
    bytes: (id, mid) =>
      rawPublish(5, Buffer.from('dt/cart/SOMEONE-ELSE/health'), Buffer.from('{}'), mid),
  },
  {
    name: 'garbage-payload',
    kind: 'publish',
    bytes: (id, mid) =>
      rawPublish(
        5,
        Buffer.from(`dt/cart/${id}/health`),
        Buffer.from([mid & 0xff, 0x00, 0x9c, 0x13]),
        mid,
      ),
  },
  {
    name: 'invalid-utf8-payload',
    kind: 'publish',
    bytes: (id, mid) => rawPublish(5, Buffer.from(`dt/cart/${id}/scan`), INVALID_UTF8, mid),
  },
  {
    name: 'huge-topic',
    kind: 'publish',
    bytes: (id, mid) =>
      rawPublish(5, Buffer.from(`dt/cart/${id}/${BIG_TOPIC_TAIL}`), Buffer.from('{}'), mid),
  },
  {
    name: 'oversize-payload',
    kind: 'publish',
    bytes: (id, mid) => rawPublish(5, Buffer.from(`dt/cart/${id}/health`), OVERSIZE_PAYLOAD, mid),
  },
  {
    name: 'wildcard-subscribe',
    kind: 'subscribe',
    bytes: (_id, mid) =>
      gen({ cmd: 'subscribe', messageId: mid, subscriptions: [{ topic: '#', qos: 1 }] }, 5),
  },
  {
    name: 'foreign-subscribe',
    kind: 'subscribe',
    bytes: (_id, mid) =>
      gen(
        {
          cmd: 'subscribe',
          messageId: mid,
          subscriptions: [{ topic: 'devices/errors/OTHER', qos: 1 }],
        },
        5,
      ),
  },
];
