import { createPublicKey, type KeyObject } from 'node:crypto';
import { identityFailure } from '../errors.js';

// Parsing a key with OpenSSL 3 (createPublicKey from DER) and exporting it again each cost about
// 0.2–0.4 ms, as much as the rest of issuing a certificate: a key is parsed once, when its CSR is
// verified (from its coordinates when it is in Node's form), and the bytes that come out are
// recognised on the way into the certificate.

/** SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (66 bytes: 00 04 x y) } */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
const P256_SPKI_LENGTH = P256_SPKI_PREFIX.length + 65;

/** SPKIs that came out of checkedP256Spki: a P-256 point OpenSSL accepted, in Node's form. */
const checked = new WeakSet<Buffer>();

/**
 * The key's SPKI as Node exports it (named curve, uncompressed point), remembered as checked.
 * A key already in that form is returned as it came (the same bytes an export would give).
 */
export function checkedP256Spki(key: KeyObject, spki: Uint8Array): Buffer {
  const bytes = isNodeP256Form(spki)
    ? Buffer.from(spki)
    : key.export({ format: 'der', type: 'spki' });
  checked.add(bytes);
  return bytes;
}

/** A device key for a certificate: checked already by verifyCsr, or parsed and checked here. */
export function p256Spki(spki: Uint8Array): Buffer {
  if (Buffer.isBuffer(spki) && checked.has(spki)) return spki;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw identityFailure('malformed-csr', 'the device key is not a DER SubjectPublicKeyInfo');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw identityFailure('wrong-curve', 'fleetplane devices use ECDSA P-256 (prime256v1) keys');
  }
  return checkedP256Spki(key, spki);
}

/**
 * A P-256 key in Node's form, imported from its coordinates: OpenSSL refuses a point off the
 * curve either way, and this import costs about a third of the DER one. Undefined for any
 * other form, which the caller imports as DER.
 */
export function importP256Spki(spki: Uint8Array): KeyObject | undefined {
  if (!isNodeP256Form(spki)) return undefined;
  const point = Buffer.from(spki.subarray(P256_SPKI_PREFIX.length + 1));
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(0, 32).toString('base64url'),
      y: point.subarray(32).toString('base64url'),
    },
    format: 'jwk',
  });
}

function isNodeP256Form(spki: Uint8Array): boolean {
  return (
    spki.length === P256_SPKI_LENGTH &&
    spki[P256_SPKI_PREFIX.length] === 0x04 &&
    P256_SPKI_PREFIX.equals(spki.subarray(0, P256_SPKI_PREFIX.length))
  );
}
