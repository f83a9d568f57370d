import { writeFileAtomic, type DataLayout } from '../../../stores/data-dir/index.js';
import { addDays } from '../clock.js';
import { loadSigningKey, type CaCertificate } from '../ca/generation.js';
import type { FleetCa } from '../ca/fleet-ca.js';
import { toPem } from '../pem.js';
import { P256, x509 } from '../x509.js';
import { readRevocations, revokedSerials, type RevocationEntry } from './revocation-log.js';

/** CRLs say when the next one is due; a platform refreshes them daily, well before that. */
export const CRL_VALIDITY_DAYS = 7;

/**
 * One CRL for every CA of every generation trusted at `now`, roots included: Node's TLS `crl`
 * option turns on OpenSSL's CRL_CHECK_ALL, which refuses a chain if any CA in it lacks a CRL.
 */
export async function buildCrlBundle(
  ca: FleetCa,
  revocations: readonly RevocationEntry[],
  now: Date,
): Promise<string> {
  const pems: string[] = [];
  for (const g of ca.trustedAt(now)) {
    // Roots only sign issuing CAs, and fleetplane has no command to revoke those: a compromised
    // issuing CA is handled by rotating, so root CRLs are empty.
    pems.push(await signCrl(g.root, [], now));
    pems.push(
      await signCrl(
        g.issuing,
        revocations.filter((r) => r.generation === g.generation),
        now,
      ),
    );
  }
  return pems.join('');
}

/**
 * The CRLs of a bundle, one PEM each. Node's TLS `crl` option reads only the first CRL of a
 * string, so a server passes this array instead.
 */
export function splitCrlBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN X509 CRL-----[\s\S]*?-----END X509 CRL-----\n?/g) ?? [];
}

/** Rewrites DIR/ca/crl.pem from the revocation log. Call it after a revocation and at least daily. */
export async function refreshCrls(layout: DataLayout, ca: FleetCa, now: Date): Promise<string> {
  // Another process may revoke while this one builds. Building again until the log is the same
  // after writing as before means this write includes every revocation made before it finished.
  for (let attempt = 1; ; attempt++) {
    const revocations = await readRevocations(layout);
    const bundle = await buildCrlBundle(ca, revocations, now);
    await writeFileAtomic(layout.crl, bundle);
    const after = await revokedSerials(layout);
    if (
      attempt >= 5 ||
      sameSet(
        after,
        revocations.map((r) => r.cert_serial),
      )
    )
      return bundle;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((x) => set.has(x));
}

async function signCrl(
  issuer: CaCertificate,
  entries: readonly RevocationEntry[],
  now: Date,
): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subjectName,
    thisUpdate: now,
    nextUpdate: addDays(now, CRL_VALIDITY_DAYS),
    signingAlgorithm: P256,
    signingKey: await loadSigningKey(issuer),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert, false),
      new x509.Extension('2.5.29.20', false, derInteger(Math.floor(now.getTime() / 1000))),
    ],
    entries: entries.map((e) => ({
      serialNumber: e.cert_serial,
      revocationDate: new Date(e.revoked_at),
      reason: x509.X509CrlReason[e.reason],
    })),
  });
  // The library labels PEM blocks 'CRL'; OpenSSL and Node only read 'X509 CRL'.
  return toPem(crl.rawData, 'X509 CRL');
}

/** cRLNumber must increase; seconds since the epoch do, across processes, without shared state. */
function derInteger(value: number): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) > 0x7f) hex = '00' + hex;
  const body = Buffer.from(hex, 'hex');
  return Uint8Array.from([0x02, body.length, ...body]);
}
