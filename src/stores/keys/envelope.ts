import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { keyFailure } from './errors.js';

/** AES-256-GCM with a fresh 96-bit nonce; the associated data binds a ciphertext to its purpose. */
export interface Sealed {
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Throws 'decrypt-failed' for a wrong key, a tampered ciphertext or a mismatched purpose. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  } catch {
    throw keyFailure('decrypt-failed', `cannot decrypt ${aad}: wrong key or tampered data`);
  }
}

export function isSealed(value: unknown): value is Sealed {
  const v = value as Partial<Sealed> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.iv === 'string' &&
    typeof v.ct === 'string' &&
    typeof v.tag === 'string'
  );
}
