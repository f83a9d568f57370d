import { sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { SIGNATURE_BYTES } from './limits.js';

/**
 * The wire format: the JSON body's bytes with a 64-byte ECDSA P-256 signature appended, r||s,
 * each a 32-byte big-endian integer, over SHA-256 of exactly those body bytes. No framing, no
 * length prefix: the signature is always the last 64 bytes.
 */

/** Signs the bytes on the device: something that holds the key and never hands it out. */
export type Signer = (body: Uint8Array) => Uint8Array;

export function frame(body: Uint8Array, signature: Uint8Array): Uint8Array {
  if (signature.length !== SIGNATURE_BYTES) {
    throw new RangeError(`signature must be ${SIGNATURE_BYTES} bytes, got ${signature.length}`);
  }
  const out = new Uint8Array(body.length + SIGNATURE_BYTES);
  out.set(body, 0);
  out.set(signature, body.length);
  return out;
}

/** Serialises a message as compact JSON, signs it and returns the bytes to publish. */
export function encodeSigned(message: object, signer: Signer): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify(message));
  return frame(body, signer(body));
}

/** Splits a payload into body and signature; undefined when it is too short to hold both. */
export function splitFrame(
  payload: Uint8Array,
): { body: Uint8Array; signature: Uint8Array } | undefined {
  if (payload.length <= SIGNATURE_BYTES) return undefined;
  const cut = payload.length - SIGNATURE_BYTES;
  return { body: payload.subarray(0, cut), signature: payload.subarray(cut) };
}

/** ECDSA P-256 signing with node:crypto, r||s output: the software secure element uses this. */
export function signBody(body: Uint8Array, privateKey: KeyObject): Uint8Array {
  return nodeSign('sha256', body, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

/** Verifies a body's signature with the device's public key. */
export function verifyBody(body: Uint8Array, signature: Uint8Array, publicKey: KeyObject): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  return nodeVerify('sha256', body, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
}
