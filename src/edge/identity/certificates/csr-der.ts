import {
  DerError,
  children,
  expectTag,
  readTlv,
  value,
  valueEquals,
  whole,
  type Tlv,
} from './der-reader.js';

/** The parts of a PKCS#10 request (RFC 2986) provisioning looks at. */
export interface ParsedCsr {
  /** The DER CertificationRequestInfo: what the signature covers. */
  readonly info: Uint8Array;
  /** The DER SubjectPublicKeyInfo, for createPublicKey to judge. */
  readonly spki: Uint8Array;
  /** Every CN of the subject, decoded. */
  readonly commonNames: readonly string[];
  /** Hex of the signature algorithm's OID encoding. */
  readonly signatureAlgorithm: string;
  /** The signature's bytes; undefined when the BIT STRING has unused bits (never a signature). */
  readonly signature?: Uint8Array;
}

/** ecdsa-with-SHA256/384/512 (RFC 5758), the signatures a P-256 key can make on a CSR. */
export const ECDSA_HASHES: ReadonlyMap<string, string> = new Map([
  ['2a8648ce3d040302', 'sha256'],
  ['2a8648ce3d040303', 'sha384'],
  ['2a8648ce3d040304', 'sha512'],
]);

const COMMON_NAME = Buffer.from([0x55, 0x04, 0x03]);

/**
 * Reads a DER PKCS#10 request: its structure must be exactly a CertificationRequest with
 * nothing after it, version 0, a Name of sets of attribute-value pairs. Throws DerError for
 * anything else; the key and signature are for the caller to check.
 */
export function parseCsr(der: Uint8Array): ParsedCsr {
  const outer = expectTag(readTlv(der, 0), 0x30, 'a CertificationRequest');
  if (outer.end !== der.length) throw new DerError('bytes after the CertificationRequest');
  const [info, algorithm, signature, extra] = children(der, outer);
  if (extra !== undefined) throw new DerError('too many fields in the CertificationRequest');
  const [version, subject, spki, attributes, more] = children(
    der,
    expectTag(info, 0x30, 'a CertificationRequestInfo'),
  );
  const v = expectTag(version, 0x02, 'a version');
  if (v.end - v.start !== 1 || der[v.start] !== 0) throw new DerError('version is not 1 (0)');
  expectTag(spki, 0x30, 'a SubjectPublicKeyInfo');
  // Attributes are [0] and, in practice, sometimes left out; their content is not used.
  if (attributes !== undefined) children(der, expectTag(attributes, 0xa0, 'attributes'));
  if (more !== undefined) throw new DerError('too many fields in the CertificationRequestInfo');

  const [oid, parameters] = children(der, expectTag(algorithm, 0x30, 'a signature algorithm'));
  if (parameters !== undefined && !(parameters.tag === 0x05 && parameters.end === parameters.start))
    throw new DerError('unexpected signature algorithm parameters');
  const bits = value(der, expectTag(signature, 0x03, 'a signature BIT STRING'));
  if (bits.length === 0) throw new DerError('an empty BIT STRING');
  return {
    info: whole(der, info!),
    spki: whole(der, spki!),
    commonNames: commonNames(der, expectTag(subject, 0x30, 'a subject Name')),
    signatureAlgorithm: Buffer.from(value(der, expectTag(oid, 0x06, 'an OID'))).toString('hex'),
    ...(bits[0] === 0 ? { signature: bits.subarray(1) } : {}),
  };
}

function commonNames(der: Uint8Array, name: Tlv): string[] {
  const names: string[] = [];
  for (const rdn of children(der, name)) {
    for (const pair of children(der, expectTag(rdn, 0x31, 'a relative distinguished name'))) {
      const [type, text, extra] = children(der, expectTag(pair, 0x30, 'an attribute'));
      if (extra !== undefined || text === undefined) throw new DerError('a malformed attribute');
      if (valueEquals(der, expectTag(type, 0x06, 'an attribute type'), COMMON_NAME)) {
        names.push(decodeString(der, text));
      }
    }
  }
  return names;
}

/**
 * A directory string's text. A type that is no string shows as '#' and hex, as RFC 4514 writes
 * it, which no serial can equal.
 */
function decodeString(der: Uint8Array, item: Tlv): string {
  const bytes = Buffer.from(value(der, item));
  switch (item.tag) {
    case 0x0c: // UTF8String
      return bytes.toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString
      return bytes.toString('latin1');
    case 0x1e: // BMPString, UTF-16 big-endian
      return Buffer.from(bytes).swap16().toString('utf16le');
    default:
      return '#' + Buffer.from(whole(der, item)).toString('hex');
  }
}
