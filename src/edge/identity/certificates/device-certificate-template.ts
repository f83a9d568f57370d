import { createHash, sign, type KeyObject } from 'node:crypto';
import type { DeviceClass, DeviceId, StoreId } from '../../../contract/ids.js';
import type { CaCertificate } from '../ca/generation.js';
import { ORGANISATION } from '../ca/profile.js';
import { toPem } from '../pem.js';
import { children, expectTag, readTlv, value, whole, type Tlv } from './der-reader.js';
import {
  bitString,
  booleanTrue,
  directoryString,
  objectId,
  octetString,
  sequence,
  set,
  time,
  tlv,
} from './der-writer.js';

const OID = {
  ecdsaWithSha256: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
  organisation: [0x55, 0x04, 0x0a],
  organisationalUnit: [0x55, 0x04, 0x0b],
  serialNumber: [0x55, 0x04, 0x05],
  commonName: [0x55, 0x04, 0x03],
  basicConstraints: [0x55, 0x1d, 0x13],
  keyUsage: [0x55, 0x1d, 0x0f],
  extendedKeyUsage: [0x55, 0x1d, 0x25],
  subjectAltName: [0x55, 0x1d, 0x11],
  subjectKeyIdentifier: [0x55, 0x1d, 0x0e],
  authorityKeyIdentifier: [0x55, 0x1d, 0x23],
  clientAuth: [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02],
} as const;

export const DEVICE_URN = 'urn:fleetplane:';

/** What varies from one device certificate to the next; everything else is the template's. */
export interface DeviceCertificateFields {
  /** 32 hex digits, first byte 0x01–0x7f (randomSerialHex). */
  readonly serialHex: string;
  readonly deviceId: DeviceId;
  readonly storeId: StoreId;
  readonly deviceClass: DeviceClass;
  /** Canonical DER SPKI of a P-256 key (as Node exports it). */
  readonly publicKeySpki: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * The device certificate of 002 as bytes: version, signature algorithm, issuer, the O of the
 * subject and the constant extensions are encoded once per issuing CA; per device only the
 * serial, validity, subject, key, SAN URIs and key identifiers are spliced in. The layout is
 * field for field what @peculiar/x509 writes for the same inputs (pinned by
 * device-certificate-template.test.ts, which builds both and compares the bytes), at a few
 * microseconds instead of milliseconds.
 */
export class DeviceCertificateTemplate {
  private readonly head: Buffer;
  private readonly issuerName: Buffer;
  private readonly subjectOrganisation: Buffer;
  private readonly constantExtensions: Buffer;
  private readonly authorityKeyIdentifier: Buffer;

  constructor(issuing: Pick<CaCertificate, 'node'>) {
    const der = issuing.node.raw;
    const tbs = children(der, readTlv(der, 0))[0];
    const fields = children(der, expectTag(tbs, 0x30, 'a TBSCertificate'));
    // [0] version is present in every v3 certificate, which the fleet's CA certificates are.
    const at = fields[0]?.tag === 0xa0 ? 1 : 0;
    this.issuerName = Buffer.from(whole(der, expectTag(fields[at + 4], 0x30, 'a subject')));
    const issuerKeyId = keyIdentifier(der, expectTag(fields[at + 5], 0x30, 'an SPKI'));

    this.head = tlv(0xa0, Buffer.of(0x02, 0x01, 0x02)); // version v3
    this.subjectOrganisation = set(
      sequence(objectId(OID.organisation), directoryString(ORGANISATION)),
    );
    this.constantExtensions = Buffer.concat([
      // cA false is DEFAULT and so absent: an empty SEQUENCE, critical.
      sequence(objectId(OID.basicConstraints), booleanTrue(), octetString(sequence())),
      // digitalSignature only: bit 0, seven unused bits.
      sequence(
        objectId(OID.keyUsage),
        booleanTrue(),
        octetString(Buffer.of(0x03, 0x02, 0x07, 0x80)),
      ),
      sequence(objectId(OID.extendedKeyUsage), octetString(sequence(objectId(OID.clientAuth)))),
    ]);
    this.authorityKeyIdentifier = sequence(
      objectId(OID.authorityKeyIdentifier),
      octetString(sequence(tlv(0x80, issuerKeyId))),
    );
  }

  /** The DER TBSCertificate for one device. */
  tbs(f: DeviceCertificateFields): Buffer {
    const uri = (kind: string, id: string) =>
      tlv(0x86, Buffer.from(`${DEVICE_URN}${kind}:${id}`, 'utf8'));
    const extensions = sequence(
      this.constantExtensions,
      sequence(
        objectId(OID.subjectAltName),
        octetString(
          sequence(uri('device', f.deviceId), uri('store', f.storeId), uri('class', f.deviceClass)),
        ),
      ),
      sequence(
        objectId(OID.subjectKeyIdentifier),
        octetString(octetString(keyIdentifier(f.publicKeySpki, readTlv(f.publicKeySpki, 0)))),
      ),
      this.authorityKeyIdentifier,
    );
    return sequence(
      this.head,
      tlv(0x02, Buffer.from(f.serialHex, 'hex')),
      sequence(objectId(OID.ecdsaWithSha256)),
      this.issuerName,
      sequence(time(f.notBefore), time(f.notAfter)),
      sequence(
        this.subjectOrganisation,
        set(sequence(objectId(OID.organisationalUnit), directoryString(f.storeId))),
        set(sequence(objectId(OID.serialNumber), directoryString(f.deviceId))),
        set(sequence(objectId(OID.commonName), directoryString(f.deviceId))),
      ),
      f.publicKeySpki,
      tlv(0xa3, extensions),
    );
  }

  /**
   * Signs the certificate with the issuing key (ECDSA P-256, SHA-256, DER signature) on
   * libuv's thread pool, so a batch's signatures use every core.
   */
  async issue(f: DeviceCertificateFields, signingKey: KeyObject): Promise<Buffer> {
    const tbs = this.tbs(f);
    const signature = await new Promise<Buffer>((resolve, reject) =>
      sign('sha256', tbs, signingKey, (error, result) => (error ? reject(error) : resolve(result))),
    );
    return sequence(tbs, sequence(objectId(OID.ecdsaWithSha256)), bitString(signature));
  }
}

/** RFC 5280 4.2.1.2 (1): the SHA-1 of the subjectPublicKey BIT STRING's bits. */
function keyIdentifier(der: Uint8Array, spki: Tlv): Buffer {
  const [, key] = children(der, spki);
  const bits = value(der, expectTag(key, 0x03, 'a public key BIT STRING'));
  return createHash('sha1').update(bits.subarray(1)).digest();
}

/** Node's fingerprint format (AB:CD:…), as X509Certificate#fingerprint256 gives it. */
export function fingerprint256(der: Uint8Array): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(':');
}

/** As @peculiar/x509 writes it: 64-column base64, one newline at the end. */
export function certificatePem(der: Uint8Array): string {
  return toPem(der, 'CERTIFICATE');
}
