import type { TLSSocket } from 'node:tls';
import type { RevocationWatcher } from '../identity/index.js';
import { peerChain } from './peer-chain.js';

/**
 * What a log line says about a refused TLS handshake or admission: who tried (the CN of the certificate the
 * client presented, when it got that far) and why. A revoked certificate is named as such; the
 * TLS error alone often says only "socket hang up", because under TLS 1.3 the client has
 * finished its side of the handshake before the server refuses its certificate.
 */
export function refusedHandshake(
  socket: TLSSocket,
  error: unknown,
  revocations: Pick<RevocationWatcher, 'isRevoked'>,
): { device_id?: string; cert_serial?: string; reason: string; remote?: string; err: string } {
  const leaf = safePeerLeaf(socket);
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
    ...(socket.remoteAddress !== undefined ? { remote: socket.remoteAddress } : {}),
    err: error instanceof Error ? error.message : String(error),
  };
}

function safePeerLeaf(socket: TLSSocket) {
  try {
    return peerChain(socket)[0];
  } catch {
    return undefined;
  }
}
