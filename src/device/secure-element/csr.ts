import {
  bitString,
  contextConstructed,
  objectId,
  sequence,
  set,
  unsignedInteger,
  utf8String,
} from './der.js';
import type { CsrSubject } from './secure-element.js';

const COMMON_NAME = [0x55, 0x04, 0x03]; // 2.5.4.3
const ECDSA_WITH_SHA256 = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]; // 1.2.840.10045.4.3.2

/**
 * A PKCS#10 request (RFC 2986) for a P-256 key, signed through `sign` so the key can stay in a
 * secure element. `sign` returns r||s (64 bytes); PKCS#10 wants the DER form.
 */
export function buildCsr(
  publicKeySpki: Uint8Array,
  sign: (data: Uint8Array) => Uint8Array,
  subject: CsrSubject,
): string {
  const name = sequence(set(sequence(objectId(COMMON_NAME), utf8String(subject.commonName))));
  const info = sequence(
    unsignedInteger(Uint8Array.of(0)), // version 1
    name,
    publicKeySpki,
    contextConstructed(0), // no attributes
  );
  const signature = sign(info);
  if (signature.length !== 64) throw new Error('a P-256 signature is 64 bytes (r||s)');
  const derSignature = sequence(
    unsignedInteger(signature.subarray(0, 32)),
    unsignedInteger(signature.subarray(32)),
  );
  const der = sequence(info, sequence(objectId(ECDSA_WITH_SHA256)), bitString(derSignature));
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}
