import { isIP } from 'node:net';
import { generateP256, importSigningKey, privateKeyPem } from '../edge/identity/ca/keys.js';
import { BACKDATE_MINUTES, randomSerialHex } from '../edge/identity/ca/profile.js';
import { addDays, addMinutes, addYears, earliest } from '../edge/identity/clock.js';
import { P256, x509 } from '../edge/identity/x509.js';

/**
 * The payment zone's certificate profile. One self-signed CA signs the service's server
 * certificate and the bridge's client certificate and nothing else; it shares no key, name or
 * trust with the fleet CA, so no fleet certificate can ever chain to it.
 */
export const PAYMENT_CA_VALIDITY_YEARS = 10;
export const LEAF_VALIDITY_DAYS = 397;
/** `payment init` renews a leaf that ends sooner than this. */
export const RENEW_BEFORE_DAYS = 30;
export const SERVICE_HOSTNAMES = ['localhost', '127.0.0.1'] as const;

const ORGANISATION = 'fleetplane payment zone';

export interface PemPair {
  readonly keyPem: string;
  readonly certPem: string;
}

export async function createPaymentCa(now: Date): Promise<PemPair> {
  const keys = await generateP256();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: `O=${ORGANISATION}, CN=fleetplane payment CA`,
    notBefore: addMinutes(now, -BACKDATE_MINUTES),
    notAfter: addYears(now, PAYMENT_CA_VALIDITY_YEARS),
    signingAlgorithm: P256,
    keys,
    extensions: [
      // pathLen 0: the payment CA signs leaves only, never another CA.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keyPem: await privateKeyPem(keys.privateKey), certPem: cert.toString('pem') + '\n' };
}

export type LeafRequest =
  | { readonly usage: 'server'; readonly hostnames: readonly string[] }
  | { readonly usage: 'client'; readonly commonName: string };

/** A leaf signed by the payment CA: the service's server certificate or a client certificate. */
export async function issueZoneLeaf(
  ca: PemPair,
  request: LeafRequest,
  now: Date,
): Promise<PemPair & { readonly notAfter: Date }> {
  const issuer = new x509.X509Certificate(ca.certPem);
  const keys = await generateP256();
  const notAfter = earliest(addDays(now, LEAF_VALIDITY_DAYS), issuer.notAfter);
  const server = request.usage === 'server';
  const commonName = server ? request.hostnames[0]! : request.commonName;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: [{ O: [ORGANISATION] }, { CN: [commonName] }],
    issuer: issuer.subjectName,
    notBefore: addMinutes(now, -BACKDATE_MINUTES),
    notAfter,
    signingAlgorithm: P256,
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      ...(server
        ? [
            new x509.SubjectAlternativeNameExtension(
              request.hostnames.map((h) => ({ type: isIP(h) ? 'ip' : 'dns', value: h })),
            ),
          ]
        : []),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer, false),
    ],
  });
  return {
    keyPem: await privateKeyPem(keys.privateKey),
    certPem: cert.toString('pem') + '\n',
    notAfter,
  };
}
