import type { TLSSocket } from 'node:tls';

/**
 * Why TLS did not verify this client, or undefined when it did. Node completes every handshake
 * and only then checks the chain, destroying the socket when `rejectUnauthorized` is set
 * (`onServerSocketSecure` in `_tls_wrap`). The device servers make that same check here instead,
 * with `rejectUnauthorized: false`, because by then the client's certificate is still in hand: a
 * revoked device that keeps trying is named in the refusal, which the fleet audit needs. No byte
 * of MQTT is read from a socket this refuses.
 */
export function unverifiedClient(socket: TLSSocket): (Error & { code: string }) | undefined {
  if (socket.authorized) return undefined;
  const code = String(socket.authorizationError ?? 'NO_CLIENT_CERTIFICATE');
  return Object.assign(new Error(`client certificate refused: ${code}`), { code });
}
