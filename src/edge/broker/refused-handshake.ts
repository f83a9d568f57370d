import type { X509Certificate } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { RevocationWatcher } from '../identity/index.js';
import { EdgeConnection } from './edges/edge-connection.js';

/** Who is at the other end of a device connection, as far as TLS showed it. */
export interface DevicePeer {
  /** The client certificate, when the handshake got that far. */
  readonly certificate?: X509Certificate | undefined;
  readonly remoteAddress?: string | undefined;
}

/** The peer of a TLS socket the platform holds, or of a connection an edge process holds. */
export function devicePeer(stream: Duplex): DevicePeer {
  if (stream instanceof EdgeConnection) {
    return { certificate: stream.certificate, remoteAddress: stream.remoteAddress };
  }
  const socket = stream as TLSSocket;
  let certificate: X509Certificate | undefined;
  try {
    certificate = socket.getPeerX509Certificate?.();
  } catch {
    certificate = undefined;
  }
  return { certificate, remoteAddress: socket.remoteAddress };
}

/**
 * What a log line says about a refused TLS handshake or admission: who tried (the CN of the certificate the
 * client presented, when it got that far) and why. A revoked certificate is named as such; the
 * TLS error alone often says only "socket hang up", because under TLS 1.3 the client has
 * finished its side of the handshake before the server refuses its certificate.
 */
export function refusedHandshake(
  peer: DevicePeer,
  error: unknown,
  revocations: Pick<RevocationWatcher, 'isRevoked'>,
): { device_id?: string; cert_serial?: string; reason: string; remote?: string; err: string } {
  const leaf = peer.certificate;
  const deviceId = leaf?.subject.match(/^CN=(.+)$/m)?.[1];
  const serial = leaf?.serialNumber.toLowerCase();
  const reason =
    serial !== undefined && revocations.isRevoked(serial)
      ? 'revoked'
      : String((error as { code?: unknown } | undefined)?.code ?? 'refused');
  return {
    ...(deviceId !== undefined ? { device_id: deviceId } : {}),
    ...(serial !== undefined ? { cert_serial: serial } : {}),
    reason,
    ...(peer.remoteAddress !== undefined ? { remote: peer.remoteAddress } : {}),
    err: error instanceof Error ? error.message : String(error),
  };
}
