import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import type { SealedCredential } from '../messages/sealed-credential.js';

const ALG = 'x25519-hkdf-sha256-a256gcm' as const;
const INFO = Buffer.from('fleetplane credential seal v1', 'utf8');
// DER prefixes of X25519 keys (RFC 8410): the raw 32 bytes follow.
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** What a sealed credential is bound to: a ciphertext moved to another session does not open. */
export function credentialAad(deviceId: string, sessionId: string, method: string): string {
  return `fleetplane:identify:${deviceId}:${sessionId}:${method}`;
}

export function x25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('an X25519 public key is 32 bytes');
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

/** Any 32 bytes are a valid X25519 private key, so a 256-bit data key serves as one. */
export function x25519PrivateKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('an X25519 private key is 32 bytes');
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, raw]),
    format: 'der',
    type: 'pkcs8',
  });
}

export function rawPublicKey(key: KeyObject): Buffer {
  return (key.export({ format: 'der', type: 'spki' }) as Buffer).subarray(SPKI_PREFIX.length);
}

function contentKey(shared: Buffer, epk: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, recipient]), INFO, 32));
}

/** What a tool's sealed operator id is bound to: it opens only as that tool's operator. */
export function toolOperatorAad(deviceId: string): string {
  return `fleetplane:tool-operator:${deviceId}`;
}

/** The cart's half: seals `value` to the identity service's public key. */
export function sealCredential(
  recipient: { kid: string; publicKey: Uint8Array },
  value: string,
  aad: string,
): SealedCredential {
  const ephemeral = generateKeyPairSync('x25519');
  const epk = rawPublicKey(ephemeral.publicKey);
  const recipientKey = x25519PublicKey(recipient.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipientKey });
  const key = contentKey(shared, epk, Buffer.from(recipient.publicKey));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return {
    alg: ALG,
    kid: recipient.kid,
    epk: epk.toString('base64url'),
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

/** The identity service's half; undefined when the key, the binding or the bytes do not match. */
export function openCredential(
  privateKey: Uint8Array,
  sealed: SealedCredential,
  aad: string,
): string | undefined {
  try {
    const own = x25519PrivateKey(privateKey);
    const ownPublic = rawPublicKey(createPublicKey(own));
    const epk = Buffer.from(sealed.epk, 'base64url');
    const shared = diffieHellman({ privateKey: own, publicKey: x25519PublicKey(epk) });
    const key = contentKey(shared, epk, ownPublic);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.ct, 'base64url')),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    return undefined;
  }
}
