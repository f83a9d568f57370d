import { randomBytes, X509Certificate } from 'node:crypto';
import { addMinutes, earliest } from '../clock.js';
import type { FleetCa } from '../ca/fleet-ca.js';
import { loadSigningKey } from '../ca/generation.js';
import { generateP256, privateKeyPem } from '../ca/keys.js';
import { BACKDATE_MINUTES, ORGANISATION, randomSerialHex } from '../ca/profile.js';
import { normaliseSerialHex } from '../pem.js';
import { P256, x509 } from '../x509.js';

const CLAIM_URN = 'urn:fleetplane:claim:';
export const CLAIM_ID_PATTERN = /^claim-[0-9a-f]{12}$/;

/** A fresh claim id: `claim-` and 12 hex digits. */
export function newClaimId(): string {
  return `claim-${randomBytes(6).toString('hex')}`;
}

export interface IssuedClaimCertificate {
  readonly keyPem: string;
  readonly certPem: string;
  /** The issuing CA certificate; the claim client sends it after its own. */
  readonly chainPem: string;
  readonly generation: number;
  readonly certSerialHex: string;
  readonly fingerprint256: string;
  readonly notAfter: Date;
}

/**
 * A claim certificate (decision 044): a TLS client certificate from the newest generation whose
 * subject is `O=fleetplane, OU=claim, CN=claim:<id>` and whose only SAN is
 * `urn:fleetplane:claim:<id>`. It names no device, store or class, so device admission refuses
 * it everywhere (broker, device API) and the broker's claim gate is the one place it is taken.
 * The CN has a colon, which no device id may, so Mosquitto's use_identity_as_username can never
 * mistake it for a device.
 */
export async function issueClaimCertificate(
  ca: FleetCa,
  claimId: string,
  options: { now: Date; notAfter: Date },
): Promise<IssuedClaimCertificate> {
  const issuer = ca.newest;
  const keys = await generateP256();
  const notAfter = earliest(options.notAfter, issuer.issuing.cert.notAfter);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: [{ O: [ORGANISATION] }, { OU: ['claim'] }, { CN: [`claim:${claimId}`] }],
    issuer: issuer.issuing.cert.subjectName,
    notBefore: addMinutes(options.now, -BACKDATE_MINUTES),
    notAfter,
    signingAlgorithm: P256,
    publicKey: keys.publicKey,
    signingKey: await loadSigningKey(issuer.issuing),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `${CLAIM_URN}${claimId}` }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.issuing.cert, false),
    ],
  });
  const certPem = cert.toString('pem') + '\n';
  const node = new X509Certificate(certPem);
  return {
    keyPem: await privateKeyPem(keys.privateKey),
    certPem,
    chainPem: issuer.issuing.pem.trim() + '\n',
    generation: issuer.generation,
    certSerialHex: normaliseSerialHex(node.serialNumber),
    fingerprint256: node.fingerprint256,
    notAfter,
  };
}

/**
 * The claim id a certificate carries, read natively (no ASN.1 parse); undefined for any other
 * certificate. Only the shape is read: the broker's claim gate checks the chain and the registry.
 */
export function claimIdOf(certificate: X509Certificate): string | undefined {
  const names = (certificate.subjectAltName ?? '').split(', ');
  if (names.length !== 1 || !names[0]!.startsWith(`URI:${CLAIM_URN}`)) return undefined;
  const id = names[0]!.slice(`URI:${CLAIM_URN}`.length);
  return CLAIM_ID_PATTERN.test(id) ? id : undefined;
}
