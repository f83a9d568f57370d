import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { identityFailure } from '../errors.js';
import { pemBlocks } from '../pem.js';
import { checkedP256Spki, importP256Spki } from './p256-key.js';
import { ECDSA_HASHES, parseCsr, type ParsedCsr } from './csr-der.js';

export interface VerifiedCsr {
  /** DER SubjectPublicKeyInfo of a P-256 key whose holder signed the request. */
  readonly publicKeySpki: Buffer;
  readonly commonName?: string;
}

/** A real CSR is well under 2 KiB; anything this large is not one. */
const MAX_CSR_BYTES = 64 * 1024;

/**
 * Checks a PKCS#10 request from a device or factory line: well-formed PEM or DER, signed by the
 * key it carries (proof of possession), that key ECDSA P-256, and a CN, if any, equal to the
 * serial being provisioned. Only the key is used: the cloud decides the certificate's subject.
 */
export async function verifyCsr(
  input: string | Uint8Array,
  options: { expectedCommonName: string },
): Promise<VerifiedCsr> {
  const der = csrDer(input);
  let csr: ParsedCsr;
  let key: KeyObject;
  let p256: boolean;
  try {
    csr = parseCsr(der);
    const imported = importP256Spki(csr.spki);
    p256 = imported !== undefined;
    key = imported ?? createPublicKey({ key: Buffer.from(csr.spki), format: 'der', type: 'spki' });
  } catch {
    throw identityFailure('malformed-csr', 'the CSR is not a readable PKCS#10 certificate request');
  }

  if (!p256 && !isP256(key)) {
    throw identityFailure(
      'wrong-curve',
      `the CSR's key is ${describeKey(key)}; fleetplane devices use ECDSA P-256 (prime256v1)`,
    );
  }

  if (!(await signedByItsKey(csr, key))) {
    throw identityFailure(
      'csr-signature-invalid',
      'the CSR is not signed by the key it carries (no proof of possession); it was altered or built wrongly',
    );
  }

  const names = csr.commonNames;
  if (names.length > 1 || (names.length === 1 && names[0] !== options.expectedCommonName)) {
    throw identityFailure(
      'csr-subject-mismatch',
      `the CSR's CN is '${names.join(', ')}' but the serial is '${options.expectedCommonName}'`,
    );
  }
  return {
    publicKeySpki: checkedP256Spki(key, csr.spki),
    ...(names[0] !== undefined ? { commonName: names[0] } : {}),
  };
}

/**
 * The self-signature over the request info, checked with node:crypto on libuv's thread pool.
 * An ECDSA signature algorithm this does not know, or a signature that is not a DER pair,
 * fails the check rather than the parse, as the X.509 library's verify() did.
 */
async function signedByItsKey(csr: ParsedCsr, key: KeyObject): Promise<boolean> {
  const hash = ECDSA_HASHES.get(csr.signatureAlgorithm);
  if (hash === undefined || csr.signature === undefined) return false;
  const signature = csr.signature;
  return new Promise<boolean>((resolve) => {
    try {
      verify(hash, csr.info, key, signature, (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}

function csrDer(input: string | Uint8Array): Buffer {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  if (bytes.length === 0 || bytes.length > MAX_CSR_BYTES) {
    throw identityFailure(
      'malformed-csr',
      `the CSR is ${bytes.length} bytes; expected a PKCS#10 request`,
    );
  }
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN')) return bytes;
  const block = pemBlocks(text).find(
    (b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST',
  );
  if (!block || block.der.length === 0) {
    throw identityFailure('malformed-csr', 'the file has no CERTIFICATE REQUEST PEM block');
  }
  return block.der;
}

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA ${details?.modulusLength ?? '?'}-bit`;
    case 'ec':
      return `EC ${details?.namedCurve ?? 'unknown curve'}`;
    default:
      return key.asymmetricKeyType ?? 'an unknown key type';
  }
}
