import { createPrivateKey, type KeyObject } from 'node:crypto';
import { P256, subtle, type CryptoKey, type CryptoKeyPair } from '../x509.js';
import { toPem } from '../pem.js';

/** A new P-256 key pair; extractable only so it can be written once as PKCS#8. */
export async function generateP256(): Promise<CryptoKeyPair> {
  return subtle.generateKey(P256, true, ['sign', 'verify']);
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return toPem(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Loads a CA signing key for the library's signer; not extractable once loaded. */
export async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return subtle.importKey('pkcs8', der, P256, false, ['sign']);
}

export function spkiDer(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' });
}

export async function importPublicKey(spki: Uint8Array): Promise<CryptoKey> {
  return subtle.importKey('spki', spki, P256, true, ['verify']);
}
