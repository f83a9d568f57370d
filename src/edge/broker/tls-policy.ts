import type { SecureContextOptions } from 'node:tls';
import type { FleetCa } from '../identity/index.js';

/**
 * TLS 1.2 at least; for 1.2 only forward-secret AEAD suites with the ECDSA server key the fleet CA
 * issues (TLS 1.3 suites are all strong and stay at Node's defaults).
 */
export const TLS_MIN_VERSION = 'TLSv1.2' as const;
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
].join(':');
export const TLS13_CIPHERS =
  'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';
/** The same suites for an RSA key: an operator's certificate for the HTTP API may carry one. */
const TLS12_RSA_CIPHERS = [
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** The HTTP API's TLS policy: the broker's, without client certificates, for ECDSA or RSA keys. */
export function httpsServerPolicy(): Pick<
  SecureContextOptions,
  'minVersion' | 'ciphers' | 'honorCipherOrder'
> {
  return {
    minVersion: TLS_MIN_VERSION,
    ciphers: `${TLS13_CIPHERS}:${TLS12_CIPHERS}:${TLS12_RSA_CIPHERS}`,
    honorCipherOrder: true,
  };
}

/** Server-side context for mutual TLS against the fleet's roots and their CRLs. */
export function mutualTlsContext(options: {
  keyPem: string;
  certChainPem: string;
  /** PEM certificates to chain client certificates to: the trusted roots and their issuers. */
  trusted: readonly string[];
  crls: readonly string[];
}): SecureContextOptions {
  return {
    key: options.keyPem,
    cert: options.certChainPem,
    ca: [...options.trusted],
    ...(options.crls.length > 0 ? { crl: [...options.crls] } : {}),
    minVersion: TLS_MIN_VERSION,
    ciphers: `${TLS13_CIPHERS}:${TLS12_CIPHERS}`,
    honorCipherOrder: true,
  };
}

/**
 * What a client certificate may chain to at `now`: each trusted root with its issuing CA, so a
 * device that sends only its leaf still chains.
 */
export function fleetTrust(ca: FleetCa, now: Date): string[] {
  return ca.trustedAt(now).flatMap((g) => [g.root.pem, g.issuing.pem]);
}
