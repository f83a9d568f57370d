import mqttPacket, { type Packet, type Parser } from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import {
  encodeDisconnect,
  encodePublish,
  publishBytes,
  type InboundEntry,
  type ProtocolVersion,
} from './packets.js';
import type { ReasonCode } from './reason-codes.js';
import type { OutboundMessage } from './server-types.js';
import type { Session } from './session.js';

/**
 * - `awaiting-connect`: accepted, nothing or no CONNECT yet;
 * - `authenticating`: CONNECT read, the owner deciding; packets after it wait in `held`;
 * - `open`: CONNACK sent, session attached;
 * - `closing`: done with; the socket is ending (what it still sends is read and dropped, so the
 *   kernel does not answer it with a reset that could overtake our last packet).
 */
export type ConnectionState = 'awaiting-connect' | 'authenticating' | 'open' | 'closing';

/** What the server does with a connection's socket and parser events. */
export interface ConnectionEvents<P> {
  data(connection: Connection<P>, chunk: Buffer): void;
  packet(connection: Connection<P>, packet: Packet): void;
  parseError(connection: Connection<P>, error: Error): void;
  socketError(connection: Connection<P>, error: Error): void;
  closed(connection: Connection<P>): void;
}

/** How a socket or parser event finds its connection without a closure per connection. */
const CONNECTION = Symbol('mqtt-connection');
type Tagged = { [CONNECTION]?: Connection<unknown> };

/**
 * One client connection's protocol state. Kept small: the server holds tens of thousands. No
 * timers (one shared sweep watches keep-alives) and no closures (events find the connection
 * through the CONNECTION tag on the socket and the parser).
 */
export class Connection<P> {
  state: ConnectionState = 'awaiting-connect';
  version: ProtocolVersion = 4;
  clientId: string | undefined;
  principal: P | undefined;
  session: Session<P> | undefined;
  /** 0: the client asked for no keep-alive. */
  keepaliveMs = 0;
  /** When bytes last arrived once open; before, the accept; closing, when it began. */
  lastSeen: number;
  /** Publishes handed to the owner and not yet answered, in arrival order. */
  readonly inbound: InboundEntry[] = [];
  /**
   * Parsed packets not handled yet, while the owner authenticates or while `inbound` is full.
   * Set means the socket is paused; at most one read's worth of packets waits here.
   */
  held: Packet[] | undefined;
  /** Set while the client is over its publish rate: when the connection is read again. */
  resumeTimer: NodeJS.Timeout | undefined;
  /** QoS 1 messages this client takes in flight: its Receive Maximum, capped by ours. */
  outboundWindow: number;
  /** The client's Maximum Packet Size (MQTT 5); packets larger are not sent to it. */
  clientMaxPacket = Number.POSITIVE_INFINITY;
  readonly parser: Parser;

  constructor(
    readonly socket: Duplex,
    readonly events: ConnectionEvents<P>,
    now: number,
    outboundWindow: number,
  ) {
    this.lastSeen = now;
    this.outboundWindow = outboundWindow;
    this.parser = mqttPacket.parser();
    (socket as Tagged)[CONNECTION] = this as Connection<unknown>;
    (this.parser as Tagged)[CONNECTION] = this as Connection<unknown>;
    socket.on('data', onData);
    socket.on('error', onSocketError);
    socket.on('close', onClose);
    this.parser.on('packet', onPacket);
    this.parser.on('error', onParseError);
  }

  write(bytes: Buffer): void {
    if (this.state !== 'closing') this.socket.write(bytes);
  }

  /** False when the client said it cannot take a packet this large (MQTT 5). */
  fits(message: OutboundMessage): boolean {
    return (
      this.clientMaxPacket === Number.POSITIVE_INFINITY ||
      publishBytes(message, this.version) <= this.clientMaxPacket
    );
  }

  sendPublish(message: OutboundMessage, messageId: number, dup: boolean): void {
    this.write(encodePublish(message, messageId, dup, this.version));
  }

  /** Stops reading: packets parsed from what was already read wait in `held`. */
  hold(): void {
    if (this.held !== undefined) return;
    this.held = [];
    this.socket.pause();
  }

  /**
   * Ends the socket, after a DISCONNECT with `reason` for an MQTT 5 client that was connected
   * (3.1.1 has no server DISCONNECT: the close is the message).
   */
  end(reason: ReasonCode | undefined, wasOpen: boolean, now: number): void {
    if (reason !== undefined && wasOpen && this.version === 5) {
      this.socket.write(encodeDisconnect(reason));
    }
    this.state = 'closing';
    this.lastSeen = now;
    this.held = undefined;
    clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.inbound.length = 0;
    this.socket.end();
    // Keep reading (and dropping) until the client closes its side; see ConnectionState.
    this.socket.resume();
  }
}

// Shared listeners: `this` is the socket or the parser, tagged with its connection.
function onData(this: Tagged, chunk: Buffer): void {
  const connection = this[CONNECTION];
  connection?.events.data(connection, chunk);
}
function onPacket(this: Tagged, packet: Packet): void {
  const connection = this[CONNECTION];
  connection?.events.packet(connection, packet);
}
function onParseError(this: Tagged, error: Error): void {
  const connection = this[CONNECTION];
  connection?.events.parseError(connection, error);
}
function onSocketError(this: Tagged, error: Error): void {
  const connection = this[CONNECTION];
  connection?.events.socketError(connection, error);
}
function onClose(this: Tagged): void {
  const connection = this[CONNECTION];
  connection?.events.closed(connection);
}
