import type { IConnectPacket } from 'mqtt-packet';
import type { Connection } from './connection.js';
import { release, type ServerContext } from './context.js';
import { encodeConnack, type Announced } from './packets.js';
import { CONNACK_V4, ConnectRefusal, REASON } from './reason-codes.js';

const ACCEPTED = { returnCode: CONNACK_V4.accepted, reasonCode: REASON.success };

/**
 * A CONNECT on a fresh connection: refused by protocol rules here, otherwise handed to the
 * owner's `authenticate`; packets that follow wait until it answers.
 */
export function handleConnect<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  packet: IConnectPacket,
): void {
  connection.version = packet.protocolVersion ?? 4;
  const refusal = protocolRefusal(packet);
  if (refusal) {
    refuse(context, connection, refusal);
    return;
  }
  connection.state = 'authenticating';
  connection.hold();
  let admitted: Promise<P>;
  try {
    admitted = context.hooks.authenticate(packet, connection.socket);
  } catch (error) {
    admitted = Promise.reject(error);
  }
  admitted.then(
    (principal) => open(context, connection, packet, principal),
    (error: unknown) => {
      if (connection.state !== 'authenticating') return;
      context.report(error, connection);
      refuse(
        context,
        connection,
        error instanceof ConnectRefusal
          ? error
          : new ConnectRefusal(CONNACK_V4.serverUnavailable, REASON.serverUnavailable, 'failed'),
      );
    },
  );
}

/**
 * What the server refuses whoever the client is:
 * - MQTT 3.1 (protocol level 3): 3.1.1 and 5 only;
 * - an empty client id: a device connects under its certificate's name, so there is nothing to
 *   assign (3.1.1 allows refusing it with code 2, MQTT 5 with 0x85);
 * - a will message: devices do not set one (the platform sees a device go away in its connection
 *   hooks), and a will would be an unsigned publish on the device's behalf; refused as not
 *   authorized, the refusal both versions can say;
 * - MQTT 5 enhanced authentication: devices authenticate with their TLS certificate.
 */
function protocolRefusal(packet: IConnectPacket): ConnectRefusal | undefined {
  if (packet.protocolVersion === 3) {
    return new ConnectRefusal(
      CONNACK_V4.unacceptableProtocolVersion,
      REASON.unsupportedProtocolVersion,
      'MQTT 3.1 is not supported',
    );
  }
  if (packet.clientId === '') return ConnectRefusal.badClientId('empty client id');
  if (packet.will) return ConnectRefusal.notAuthorized('will messages are not supported');
  if (packet.properties?.authenticationMethod !== undefined) {
    return new ConnectRefusal(
      CONNACK_V4.notAuthorized,
      REASON.badAuthenticationMethod,
      'enhanced authentication is not supported',
    );
  }
  return undefined;
}

function refuse<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  refusal: ConnectRefusal,
): void {
  connection.write(encodeConnack(connection.version, false, refusal));
  context.drop(connection);
}

function open<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  packet: IConnectPacket,
  principal: P,
): void {
  // The client may have gone while the owner decided.
  if (connection.state !== 'authenticating') return;
  const { settings, sessions } = context;
  const clientId = packet.clientId;
  // One connection per client id: the newer takes over (3.1.1 section 3.1.4, MQTT 5 0x8E).
  const previous = sessions.connectionOf(clientId);
  if (previous !== undefined) context.drop(previous, REASON.sessionTakenOver);

  const expiry = sessionExpiry(packet, settings.maxSessionExpirySeconds);
  const { session, present } = sessions.open(
    clientId,
    packet.clean !== false,
    expiry.seconds * 1000,
    context.now(),
  );
  const properties = packet.properties;
  connection.clientId = clientId;
  connection.principal = principal;
  connection.session = session;
  connection.keepaliveMs = (packet.keepalive ?? 0) * 1000;
  if (properties?.receiveMaximum !== undefined) {
    connection.outboundWindow = Math.min(connection.outboundWindow, properties.receiveMaximum);
  }
  if (properties?.maximumPacketSize !== undefined) {
    connection.clientMaxPacket = properties.maximumPacketSize;
  }
  connection.state = 'open';
  connection.lastSeen = context.now();

  const announced: Announced = {
    maxPacketBytes: settings.maxPacketBytes,
    receiveMaximum: settings.receiveMaximum,
    ...(expiry.capped ? { sessionExpirySeconds: expiry.seconds } : {}),
  };
  connection.write(encodeConnack(connection.version, present, ACCEPTED, announced));
  session.attach(connection, present);
  context.opened(connection);
  if (connection.state === 'open') release(context, connection);
}

/**
 * How long the session outlives this connection. MQTT 5 says so in the CONNECT (absent: 0, it
 * ends with the connection); a 3.1.1 clean session ends with it, a persistent one is kept for
 * the server's maximum (3.1.1 leaves that to the server).
 */
function sessionExpiry(
  packet: IConnectPacket,
  maxSeconds: number,
): { seconds: number; capped: boolean } {
  if (packet.protocolVersion !== 5) {
    return { seconds: packet.clean === false ? maxSeconds : 0, capped: false };
  }
  const asked = packet.properties?.sessionExpiryInterval ?? 0;
  return asked > maxSeconds
    ? { seconds: maxSeconds, capped: true }
    : { seconds: asked, capped: false };
}
