import type { Packet, Parser } from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import { handleConnect } from './connect-flow.js';
import { Connection, type ConnectionEvents } from './connection.js';
import type { ServerContext, Settings } from './context.js';
import { handlePublish } from './inbound.js';
import { isTopicName, packetBytes, PINGRESP, UNKNOWN_VERSION_CONNACK } from './packets.js';
import { REASON, type ReasonCode } from './reason-codes.js';
import type { MqttServerHooks, MqttServerOptions } from './server-types.js';
import { SessionRegistry } from './sessions.js';
import { handleSubscribe, handleUnsubscribe } from './subscribe.js';

/** A closing socket whose client does not close its side is destroyed after this. */
const CLOSE_GRACE_MS = 2_000;

/**
 * A device-facing MQTT 3.1.1 and 5 server on mqtt-packet, transport-agnostic: `handle` takes a
 * stream the owner has already authenticated at the TLS layer (tests use plain TCP). The owner
 * decides admission, what a publish means and who may subscribe (MqttServerHooks); the server
 * keeps the protocol, sessions, retained messages and flow control. Client publishes go to the
 * owner only, never on to subscribers: the owner publishes what clients should see.
 */
export class MqttServer<P> {
  readonly #hooks: MqttServerHooks<P>;
  readonly #settings: Settings;
  readonly #sessions: SessionRegistry<P>;
  readonly #connections = new Set<Connection<P>>();
  readonly #now: () => number;
  readonly #context: ServerContext<P>;
  readonly #sweep: NodeJS.Timeout;
  readonly #events: ConnectionEvents<P> = {
    data: (connection, chunk) => this.#onData(connection, chunk),
    packet: (connection, packet) => this.#onPacket(connection, packet),
    parseError: (connection, error) => this.#onParseError(connection, error),
    socketError: (connection, error) => {
      this.#report(error, connection);
      connection.socket.destroy();
    },
    closed: (connection) => {
      this.#drop(connection);
      this.#connections.delete(connection);
    },
  };
  #open = 0;
  #closed = false;

  constructor(options: MqttServerOptions<P>) {
    this.#hooks = options.hooks;
    this.#settings = {
      maxPacketBytes: options.maxPacketBytes,
      receiveMaximum: options.receiveMaximum ?? 64,
      maxQueuedPerSession: options.maxQueuedPerSession ?? 1_000,
      maxSessionExpirySeconds: options.maxSessionExpirySeconds ?? 7 * 24 * 3600,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      sweepIntervalMs: options.sweepIntervalMs ?? 1_000,
    };
    this.#now = options.now ?? Date.now;
    this.#sessions = new SessionRegistry(this.#settings.maxQueuedPerSession);
    this.#context = {
      hooks: this.#hooks,
      settings: this.#settings,
      sessions: this.#sessions,
      now: this.#now,
      process: (connection, packet) => this.#process(connection, packet),
      drop: (connection, reason) => this.#drop(connection, reason),
      opened: (connection) => this.#opened(connection),
      report: (error, connection) => this.#report(error, connection),
    };
    this.#sweep = setInterval(() => this.#sweepAll(), this.#settings.sweepIntervalMs);
    this.#sweep.unref();
  }

  /** Connections past CONNACK. */
  get connectionCount(): number {
    return this.#open;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Messages to clients dropped: a session's queue was full, or too large for the client. */
  get droppedMessages(): number {
    return this.#sessions.dropped;
  }

  /** Serves one client on `stream` until it closes. */
  handle(stream: Duplex): void {
    if (this.#closed) {
      stream.destroy();
      return;
    }
    const connection = new Connection(
      stream,
      this.#events,
      this.#now(),
      this.#settings.receiveMaximum,
    );
    this.#connections.add(connection);
  }

  /**
   * Sends to every session subscribed to `topic` (queued for absent persistent ones at QoS 1),
   * and keeps it for later subscribers when `retain` (an empty payload deletes it).
   */
  publish(
    topic: string,
    payload: Buffer,
    options: { readonly qos?: 0 | 1; readonly retain?: boolean } = {},
  ): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the MQTT server is closed'));
    if (!isTopicName(topic)) return Promise.reject(new Error(`'${topic}' is not a topic name`));
    this.#sessions.route(topic, payload, options.qos ?? 1, options.retain === true);
    return Promise.resolve();
  }

  /** Closes `clientId`'s connection, if it has one (MQTT 5 hears `reason`). */
  kick(clientId: string, reason: ReasonCode = REASON.notAuthorized): void {
    const connection = this.#sessions.connectionOf(clientId);
    if (connection !== undefined) this.#drop(connection, reason);
  }

  /** Closes every connection whose principal matches (revocation); walks all connections. */
  disconnectWhere(
    matches: (principal: P, clientId: string) => boolean,
    reason: ReasonCode = REASON.notAuthorized,
  ): void {
    for (const connection of this.#connections) {
      if (connection.state !== 'open') continue;
      if (matches(connection.principal as P, connection.clientId!)) this.#drop(connection, reason);
    }
  }

  /** Ends every connection (MQTT 5 hears "server shutting down"); resolves when all are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const connection of this.#connections) this.#drop(connection, REASON.serverShuttingDown);
    if (this.#connections.size === 0) return;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (this.#connections.size > 0) return;
        clearInterval(poll);
        clearTimeout(deadline);
        resolve();
      }, 10);
      const deadline = setTimeout(() => {
        for (const connection of this.#connections) connection.socket.destroy();
      }, CLOSE_GRACE_MS);
    });
  }

  /** Called for each packet in arrival order, directly or once it stops being held. */
  #process(connection: Connection<P>, packet: Packet): void {
    if (connection.state === 'closing') return;
    const context = this.#context;
    if (packetBytes(packet.length ?? 0) > this.#settings.maxPacketBytes) {
      return this.#drop(connection, REASON.packetTooLarge);
    }
    if (connection.state === 'awaiting-connect') {
      if (packet.cmd === 'connect') return handleConnect(context, connection, packet);
      return this.#drop(connection); // CONNECT must come first (3.1.1 section 3.1)
    }
    const session = connection.session!;
    switch (packet.cmd) {
      case 'publish':
        return handlePublish(context, connection, packet);
      case 'puback':
        return session.acknowledge(packet.messageId ?? 0);
      case 'subscribe':
        return handleSubscribe(context, connection, packet);
      case 'unsubscribe':
        return handleUnsubscribe(context, connection, packet);
      case 'pingreq':
        return connection.write(PINGRESP);
      case 'disconnect': {
        // MQTT 5 may change the session expiry here, but not from 0 (spec 3.14.2.2.2).
        const expiry = packet.properties?.sessionExpiryInterval;
        if (expiry !== undefined) {
          if (session.expiryMs === 0 && expiry > 0) {
            return this.#drop(connection, REASON.protocolError);
          }
          session.expiryMs = Math.min(expiry, this.#settings.maxSessionExpirySeconds) * 1000;
        }
        return this.#drop(connection);
      }
      default:
        // A second CONNECT, QoS 2 flow packets (never started here), AUTH, server-only packets.
        return this.#drop(connection, REASON.protocolError);
    }
  }

  #opened(connection: Connection<P>): void {
    this.#open++;
    try {
      this.#hooks.connected?.(connection.principal as P, connection.clientId!);
    } catch (error) {
      this.#report(error, connection);
    }
  }

  #drop(connection: Connection<P>, reason?: ReasonCode): void {
    if (connection.state === 'closing') return;
    const wasOpen = connection.state === 'open';
    const now = this.#now();
    connection.end(reason, wasOpen, now);
    if (!wasOpen) return;
    this.#open--;
    this.#sessions.release(connection.session!, now);
    try {
      this.#hooks.disconnected?.(connection.principal as P, connection.clientId!);
    } catch (error) {
      this.#report(error, connection);
    }
  }

  #report(error: unknown, connection: Connection<P>): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    try {
      this.#hooks.connectionError?.(failure, connection.clientId);
    } catch {
      // A failing log hook must not take the connection handling with it.
    }
  }

  /** The one timer: CONNECT timeouts, keep-alives, closing sockets, expired sessions. */
  #sweepAll(): void {
    const now = this.#now();
    const { connectTimeoutMs } = this.#settings;
    for (const connection of this.#connections) {
      const silent = now - connection.lastSeen;
      switch (connection.state) {
        case 'closing':
          if (silent > CLOSE_GRACE_MS) connection.socket.destroy();
          break;
        case 'awaiting-connect':
          if (silent > connectTimeoutMs) this.#drop(connection);
          break;
        case 'open':
          // A held connection is silent because it is not being read: its silence is ours.
          if (
            connection.keepaliveMs > 0 &&
            connection.held === undefined &&
            silent > connection.keepaliveMs * 1.5
          ) {
            this.#drop(connection, REASON.keepAliveTimeout);
          }
          break;
        case 'authenticating':
          break;
      }
    }
    this.#sessions.sweep(now);
  }

  /** Bytes arrived; also checks a packet still arriving against the size limit. */
  #onData(connection: Connection<P>, chunk: Buffer): void {
    if (connection.state === 'closing') return;
    // The CONNECT deadline runs from the accept: a client trickling bytes does not extend it.
    if (connection.state !== 'awaiting-connect') connection.lastSeen = this.#now();
    const parser = connection.parser;
    parser.parse(chunk);
    // A packet whose announced length is over the limit is refused before it is all buffered.
    const partial = (parser as Parser & { packet: { length: number } }).packet.length;
    if (partial > 0 && packetBytes(partial) > this.#settings.maxPacketBytes) {
      this.#drop(connection, REASON.packetTooLarge);
    }
  }

  #onPacket(connection: Connection<P>, packet: Packet): void {
    if (connection.state === 'closing') return;
    if (connection.held !== undefined) connection.held.push(packet);
    else this.#process(connection, packet);
  }

  #onParseError(connection: Connection<P>, error: Error): void {
    if (connection.state === 'closing') return;
    this.#report(error, connection);
    if (connection.state === 'awaiting-connect' && error.message === 'Invalid protocol version') {
      connection.write(UNKNOWN_VERSION_CONNACK);
    }
    this.#drop(connection, REASON.malformedPacket);
  }
}
