import { isIP } from 'node:net';
import { addDays, addMinutes, earliest } from '../clock.js';
import { identityFailure } from '../errors.js';
import { P256, x509 } from '../x509.js';
import type { FleetCa } from './fleet-ca.js';
import { loadSigningKey } from './generation.js';
import { generateP256, privateKeyPem } from './keys.js';
import {
  BACKDATE_MINUTES,
  ORGANISATION,
  SERVER_VALIDITY_DAYS,
  randomSerialHex,
} from './profile.js';

export interface ServerCertificate {
  readonly keyPem: string;
  readonly certPem: string;
  /** The issuing CA certificate; a TLS server sends it after its own. */
  readonly chainPem: string;
  readonly generation: number;
  readonly notAfter: Date;
}

const DNS_NAME =
  /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * A TLS server certificate for the broker and API, from the newest generation, so devices that
 * trust the fleet's roots can authenticate the server. Hostnames may be DNS names or IP addresses.
 */
export async function issueServerCertificate(
  ca: FleetCa,
  hostnames: readonly string[],
  options: { now: Date },
): Promise<ServerCertificate> {
  if (hostnames.length === 0) {
    throw identityFailure('invalid-hostname', 'a server certificate needs at least one hostname');
  }
  const names = hostnames.map((h) => {
    if (isIP(h)) return { type: 'ip' as const, value: h };
    if (h.length <= 253 && DNS_NAME.test(h)) return { type: 'dns' as const, value: h };
    throw identityFailure('invalid-hostname', `'${h}' is neither a DNS name nor an IP address`);
  });
  return issueLeaf(ca, hostnames[0]!, {
    now: options.now,
    usage: x509.ExtendedKeyUsage.serverAuth,
    altNames: new x509.SubjectAlternativeNameExtension(names),
  });
}

/** CN of platform services that connect to an external broker: never a valid device id. */
export const SERVICE_NAME_PATTERN = /^fleetplane:[a-z][a-z0-9-]{0,30}$/;

/**
 * A TLS client certificate for a platform service (the ingest consuming from an external
 * broker). Its CN, e.g. `fleetplane:ingest`, contains a colon, which no device id may, so a
 * broker that takes the username from the CN can never confuse it with a device.
 */
export async function issueServiceCertificate(
  ca: FleetCa,
  name: string,
  options: { now: Date },
): Promise<ServerCertificate> {
  if (!SERVICE_NAME_PATTERN.test(name)) {
    throw identityFailure(
      'invalid-hostname',
      `'${name}' is not a service name (fleetplane:<name>)`,
    );
  }
  return issueLeaf(ca, name, { now: options.now, usage: x509.ExtendedKeyUsage.clientAuth });
}

async function issueLeaf(
  ca: FleetCa,
  commonName: string,
  options: { now: Date; usage: string; altNames?: x509.Extension },
): Promise<ServerCertificate> {
  const issuer = ca.newest;
  const { now } = options;
  const keys = await generateP256();
  const notAfter = earliest(addDays(now, SERVER_VALIDITY_DAYS), issuer.issuing.cert.notAfter);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: [{ O: [ORGANISATION] }, { CN: [commonName] }],
    issuer: issuer.issuing.cert.subjectName,
    notBefore: addMinutes(now, -BACKDATE_MINUTES),
    notAfter,
    signingAlgorithm: P256,
    publicKey: keys.publicKey,
    signingKey: await loadSigningKey(issuer.issuing),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([options.usage]),
      ...(options.altNames ? [options.altNames] : []),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.issuing.cert, false),
    ],
  });
  return {
    keyPem: await privateKeyPem(keys.privateKey),
    certPem: cert.toString('pem') + '\n',
    chainPem: issuer.issuing.pem.trim() + '\n',
    generation: issuer.generation,
    notAfter,
  };
}
