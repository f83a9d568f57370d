import type { Packet } from 'mqtt-packet';
import type { Connection } from './connection.js';
import type { ReasonCode } from './reason-codes.js';
import type { MqttServerHooks } from './server-types.js';
import type { SessionRegistry } from './sessions.js';

/** The server's options with their defaults applied. */
export interface Settings {
  readonly maxPacketBytes: number;
  readonly receiveMaximum: number;
  readonly maxQueuedPerSession: number;
  readonly maxSessionExpirySeconds: number;
  readonly connectTimeoutMs: number;
  readonly sweepIntervalMs: number;
}

/** What the packet handlers share: the server as they see it. */
export interface ServerContext<P> {
  readonly hooks: MqttServerHooks<P>;
  readonly settings: Settings;
  readonly sessions: SessionRegistry<P>;
  now(): number;
  /** Handles one packet of an open or opening connection (also a held one, later). */
  process(connection: Connection<P>, packet: Packet): void;
  /** Ends a connection; after DISCONNECT `reason` for an MQTT 5 client that was connected. */
  drop(connection: Connection<P>, reason?: ReasonCode): void;
  /** A connection just opened (CONNACK sent). */
  opened(connection: Connection<P>): void;
  report(error: unknown, connection: Connection<P>): void;
}

/**
 * Handles what waited in `held` (see Connection), in order, until it must wait again; then reads
 * the socket again.
 */
export function release<P>(context: ServerContext<P>, connection: Connection<P>): void {
  const held = connection.held;
  if (held === undefined) return;
  connection.held = undefined;
  for (let i = 0; i < held.length; i++) {
    if (connection.state === 'closing') return;
    context.process(connection, held[i]!);
    // process() may have held the connection again (TypeScript cannot see that).
    const again = connection.held as Packet[] | undefined;
    if (again !== undefined) {
      // Blocked again (the window filled): the rest waits, the socket stays paused.
      for (let j = i + 1; j < held.length; j++) again.push(held[j]!);
      return;
    }
  }
  if (connection.state !== 'closing') connection.socket.resume();
}
