import type { X509Certificate } from 'node:crypto';
import type { FleetCa } from '../ca/fleet-ca.js';
import type { CaGeneration } from '../ca/generation.js';
import { identityFailure } from '../errors.js';
import { x509 } from '../x509.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const MAX_PATH = 4;

export interface ValidatedPath {
  /** Leaf first, trusted root last. */
  readonly path: readonly X509Certificate[];
  /** The generation whose root anchors the path. */
  readonly generation: CaGeneration;
  /** The latest notBefore and the earliest notAfter on the path (ms): valid in between. */
  readonly validFrom: number;
  readonly validUntil: number;
}

/**
 * RFC 5280 path validation, reduced to what a fleet of P-256 devices needs: a path from the leaf
 * to a root trusted at `now`, every signature and validity period checked, CA constraints on
 * every issuer honoured, and a leaf fit for TLS client authentication with a P-256 key.
 * Intermediates come from the peer and from the CA's own generations, so a device that sends
 * only its own certificate is still recognised.
 */
export function validateDeviceChain(
  leaf: X509Certificate,
  supplied: readonly X509Certificate[],
  ca: FleetCa,
  now: Date,
): ValidatedPath {
  const trusted = ca.trustedAt(now);
  const candidates = [...supplied, ...ca.generations.map((g) => g.issuing.node)];
  const path: X509Certificate[] = [leaf];
  let anchor: CaGeneration | undefined;
  while (!anchor && path.length <= MAX_PATH) {
    const current = path[path.length - 1]!;
    anchor = trusted.find((g) => issued(current, g.root.node));
    if (anchor) break;
    const next = candidates.find((c) => c.ca && !path.includes(c) && issued(current, c));
    if (!next) break;
    path.push(next);
  }
  if (!anchor) throw untrusted(leaf, ca, now);
  const full = [...path, anchor.root.node];

  full.forEach((cert, index) =>
    checkValidity(cert, index === 0 ? 'certificate' : 'CA certificate', now),
  );
  // Every issuer must be a CA allowed to have this many CAs below it.
  for (let i = 1; i < full.length; i++) {
    const constraints = issuerConstraints(full[i]!);
    const below = i - 1;
    if (
      !constraints.ca ||
      (constraints.pathLength !== undefined && constraints.pathLength < below) ||
      !constraints.mayCertify
    ) {
      throw identityFailure(
        'untrusted-issuer',
        `'${subject(full[i]!)}' is not allowed to issue the certificate below it`,
      );
    }
  }
  checkLeaf(leaf);
  const periods = full.map(validity);
  return {
    path: full,
    generation: anchor,
    validFrom: Math.max(...periods.map((p) => p.notBefore.getTime())),
    validUntil: Math.min(...periods.map((p) => p.notAfter.getTime())),
  };
}

interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

interface IssuerConstraints {
  readonly ca: boolean;
  readonly pathLength: number | undefined;
  readonly mayCertify: boolean;
}

// The fleet's CA certificates are the same objects for as long as a FleetCa is loaded, so what is
// read from them is read once. Node's X509Certificate gives the validity period natively; the
// basic constraints' path length and the key usage need the JavaScript ASN.1 parser.
const validities = new WeakMap<X509Certificate, Validity>();
const constraintsOf = new WeakMap<X509Certificate, IssuerConstraints>();

function validity(cert: X509Certificate): Validity {
  let known = validities.get(cert);
  if (!known) {
    known = { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
    validities.set(cert, known);
  }
  return known;
}

function issuerConstraints(cert: X509Certificate): IssuerConstraints {
  let known = constraintsOf.get(cert);
  if (!known) {
    const parsed = new x509.X509Certificate(cert.raw);
    const constraints = parsed.getExtension(x509.BasicConstraintsExtension);
    const usage = parsed.getExtension(x509.KeyUsagesExtension);
    known = {
      ca: constraints?.ca === true,
      pathLength: constraints?.pathLength,
      mayCertify: !usage || (usage.usages & x509.KeyUsageFlags.keyCertSign) !== 0,
    };
    constraintsOf.set(cert, known);
  }
  return known;
}

function issued(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function checkValidity(cert: X509Certificate, what: string, now: Date): void {
  const parsed = validity(cert);
  if (now.getTime() < parsed.notBefore.getTime()) {
    throw identityFailure(
      'not-yet-valid',
      `${what} '${subject(cert)}' is not valid before ${parsed.notBefore.toISOString()}`,
    );
  }
  if (now.getTime() >= parsed.notAfter.getTime()) {
    throw identityFailure(
      'expired',
      `${what} '${subject(cert)}' expired at ${parsed.notAfter.toISOString()}`,
    );
  }
}

function checkLeaf(leaf: X509Certificate): void {
  // Node reads the CA flag and the extended key usages natively (keyUsage is its name for them).
  const curve = leaf.publicKey.asymmetricKeyDetails?.namedCurve;
  if (leaf.ca || !(leaf.keyUsage ?? []).includes(CLIENT_AUTH)) {
    throw identityFailure(
      'not-a-device-certificate',
      `'${subject(leaf)}' is not a client certificate (it must be a non-CA certificate with clientAuth)`,
    );
  }
  if (leaf.publicKey.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw identityFailure(
      'not-a-device-certificate',
      `'${subject(leaf)}' has a ${leaf.publicKey.asymmetricKeyType ?? '?'} ${curve ?? ''} key; devices use P-256`,
    );
  }
}

function untrusted(leaf: X509Certificate, ca: FleetCa, now: Date) {
  const generation = ca.issuerOf(leaf);
  if (generation && !ca.isTrusted(generation, now)) {
    return identityFailure(
      'untrusted-issuer',
      `'${subject(leaf)}' was issued by CA generation ${generation.generation}, trusted only until ${ca.trustedUntil(generation).toISOString()}; renew the device`,
    );
  }
  return identityFailure(
    'untrusted-issuer',
    `'${subject(leaf)}' is not issued by a CA this fleet trusts (issuer '${leaf.issuer.replace(/\n/g, ', ')}')`,
  );
}

function subject(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ', ');
}
