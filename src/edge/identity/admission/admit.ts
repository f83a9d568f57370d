import type { KeyObject, X509Certificate } from 'node:crypto';
import type { DeviceClass, DeviceId, StoreId } from '../../../contract/ids.js';
import { loadFleetCa, type FleetCa } from '../ca/fleet-ca.js';
import { identityFailure } from '../errors.js';
import type { IdentityContext } from '../identity.js';
import { certificatesFromPem } from '../pem.js';
import { allCertificates, type DeviceRecord } from '../registry/device-record.js';
import { revokedSerials } from '../revocation/revocation-log.js';
import { requireStore } from '../stores/add-store.js';
import { checkCertificate, type CheckedCertificates } from './checked-certificates.js';

export interface AdmittedDevice {
  readonly deviceId: DeviceId;
  readonly storeId: StoreId;
  readonly deviceClass: DeviceClass;
  /** The certificate's key, to verify the device's signed messages with. */
  readonly publicKey: KeyObject;
  /** The same key as base64 DER SPKI. */
  readonly publicKeySpkiBase64: string;
  readonly certSerialHex: string;
  readonly fingerprint256: string;
  readonly generation: number;
  /** True when this contact registered the device (just-in-time registration). */
  readonly jit: boolean;
}

export interface AdmissionOptions {
  readonly now?: Date;
  /** The CA as loaded once by a long-running caller; loaded from disk when absent. */
  readonly ca?: FleetCa;
  /** A RevocationWatcher's isRevoked; the revocation log on disk when absent. */
  readonly isRevoked?: (certSerialHex: string) => boolean | Promise<boolean>;
  /** Certificates a long-running caller has checked before (a broker); checked afresh without. */
  readonly certificates?: CheckedCertificates;
}

/**
 * Decides whether a device presenting this certificate chain (leaf first) may connect: what the
 * broker calls for a TLS client certificate and what ingest from an external broker calls. The
 * chain must lead to a root trusted at `now`, the certificate must not be revoked, and it must
 * be the device's registered certificate (or one it was renewed from and that is still valid).
 * A device never seen before is registered just in time, bound to the store its certificate
 * names. Throws an IdentityFailure saying why otherwise.
 */
export async function admitDevice(
  ctx: IdentityContext,
  chain: string | readonly X509Certificate[],
  options: AdmissionOptions = {},
): Promise<AdmittedDevice> {
  const now = options.now ?? ctx.now();
  const certs = parseChain(chain);
  const [leaf, ...supplied] = certs;
  if (!leaf) throw identityFailure('malformed-certificate', 'no certificate was presented');
  const ca = options.ca ?? (await loadFleetCa(ctx.layout));
  const checked = options.certificates
    ? options.certificates.check(leaf, supplied, ca, now)
    : checkCertificate(leaf, supplied, ca, now);
  const { info, generation } = checked;

  const isRevoked =
    options.isRevoked ??
    (async (serial: string) => (await revokedSerials(ctx.layout)).includes(serial));
  if (await isRevoked(info.certSerialHex)) {
    throw identityFailure('revoked', `the certificate of '${info.deviceId}' has been revoked`);
  }

  const admitted = (jit: boolean): AdmittedDevice => ({
    deviceId: info.deviceId,
    storeId: info.storeId,
    deviceClass: info.deviceClass,
    publicKey: checked.publicKey,
    publicKeySpkiBase64: checked.publicKeySpkiBase64,
    certSerialHex: info.certSerialHex,
    fingerprint256: info.fingerprint256,
    generation: generation.generation,
    jit,
  });

  for (let attempt = 0; attempt < 2; attempt++) {
    const record = await ctx.devices.get(info.deviceId);
    if (record) {
      checkRegistered(record, info.fingerprint256, now);
      return admitted(false);
    }
    const store = await requireStore(ctx.stores, info.storeId);
    const created = await ctx.devices.create({
      serial: info.deviceId,
      store: store.id,
      class: info.deviceClass,
      status: 'active',
      how: 'jit',
      registered_at: now.toISOString(),
      certificate: {
        serial_hex: info.certSerialHex,
        fingerprint256: info.fingerprint256,
        public_key: checked.publicKeySpkiBase64,
        generation: generation.generation,
        not_before: info.notBefore.toISOString(),
        not_after: info.notAfter.toISOString(),
        pem: leaf.toString(),
      },
      previous_certificates: [],
      revision: 1,
    });
    if (created === 'created') return admitted(true);
    // Another connection registered it a moment ago: check against what it wrote.
  }
  throw identityFailure('concurrent-change', `'${info.deviceId}' changed during admission`);
}

function checkRegistered(record: DeviceRecord, fingerprint256: string, now: Date): void {
  if (record.status === 'revoked') {
    throw identityFailure(
      'revoked',
      `'${record.serial}' was revoked at ${record.revoked_at ?? 'an unknown time'}`,
    );
  }
  const match = allCertificates(record).find((c) => c.fingerprint256 === fingerprint256);
  const current = match === record.certificate;
  if (!match || (!current && new Date(match.not_after).getTime() <= now.getTime())) {
    throw identityFailure(
      'certificate-mismatch',
      `'${record.serial}' is registered with another certificate (${record.certificate.fingerprint256})`,
    );
  }
}

function parseChain(chain: string | readonly X509Certificate[]): X509Certificate[] {
  if (typeof chain !== 'string') return [...chain];
  try {
    return certificatesFromPem(chain);
  } catch {
    throw identityFailure('malformed-certificate', 'the certificate chain is not readable PEM');
  }
}
