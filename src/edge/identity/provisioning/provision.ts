import { X509Certificate } from 'node:crypto';
import type { FleetCa } from '../ca/fleet-ca.js';
import {
  issueDeviceCertificate,
  readDeviceCertificate,
  type DeviceCertificateInfo,
  type IssuedDeviceCertificate,
} from '../certificates/device-certificate.js';
import { verifyCsr } from '../certificates/csr.js';
import { identityFailure } from '../errors.js';
import type { IdentityContext } from '../identity.js';
import type { CertificateRecord, DeviceRecord } from '../registry/device-record.js';
import {
  checkProvisionable,
  requireSerial,
  type Assessment,
  type ProvisionCheck,
} from './check.js';

export { checkProvisionable, loadIssuer, type LoadedIssuer, type ProvisionCheck } from './check.js';

export interface ProvisionRequest extends ProvisionCheck {
  /** PKCS#10, PEM or DER: the only way a key reaches the cloud side. */
  readonly csr: string | Uint8Array;
  /** The certificate the output directory holds already, to recognise a repeated deferred run. */
  readonly existingCertificatePem?: string;
  /** Shorter validity than the profile's (tests, short-lived test fleets). */
  readonly notAfter?: Date;
  /**
   * Called with the issued certificate of a new device before the registry learns of it: a
   * batch writes the device's files and its manifest line here, so a crash never leaves a
   * registered device without them. Throwing stops the registration.
   */
  readonly beforeRegistration?: (result: ProvisionResult) => Promise<void>;
}

export type ProvisionOutcome = 'issued' | 'renewed' | 'already-provisioned';

export interface ProvisionResult {
  readonly outcome: ProvisionOutcome;
  readonly certificatePem: string;
  readonly info: DeviceCertificateInfo;
  readonly generation: number;
  /** The issuing CA certificate of that generation. */
  readonly chainPem: string;
  /** Every root trusted now: what the device should trust. */
  readonly trustPem: string;
  /** The registry record, unless registration was deferred. */
  readonly record?: DeviceRecord;
}

/**
 * Issues a device certificate from a CSR and registers it. Idempotent: repeating a request
 * with the same serial, store, class and key hands back the registered certificate and changes
 * nothing. Identity only ever sees CSRs, whether the key was made by the CLI's software keystore
 * or by a secure element on a factory line.
 */
export async function provisionDevice(
  ctx: IdentityContext,
  request: ProvisionRequest,
): Promise<ProvisionResult> {
  requireSerial(request.serial);
  const csr = await verifyCsr(request.csr, { expectedCommonName: request.serial });
  const assessment = await checkProvisionable(ctx, {
    ...request,
    publicKeySpki: csr.publicKeySpki,
  });
  const { ca, existing } = assessment;
  const now = ctx.now();
  const result = (
    outcome: ProvisionOutcome,
    certificatePem: string,
    generation: number,
    record?: DeviceRecord,
    info = readDeviceCertificate(certificatePem),
  ): ProvisionResult => ({
    outcome,
    certificatePem,
    info,
    generation,
    chainPem: ca.generation(generation)?.issuing.pem.trim() + '\n',
    trustPem: ca.trustBundlePem(now),
    ...(record ? { record } : {}),
  });

  if (assessment.decision === 'same-key' && existing) {
    return result(
      'already-provisioned',
      existing.certificate.pem,
      existing.certificate.generation,
      existing,
    );
  }

  // A certificate issued for this key and never registered (a deferred run, or a batch that
  // stopped between writing the files and registering): hand it back, or register it, rather
  // than issue a second one.
  const repeat = existing
    ? undefined
    : repeatedUnregistered(ca, assessment, csr.publicKeySpki, request, now);
  if (repeat && request.deferRegistration) {
    return result('already-provisioned', repeat.pem, repeat.generation);
  }

  const issued = repeat
    ? { pem: repeat.pem, generation: repeat.generation, info: readDeviceCertificate(repeat.pem) }
    : await issueDeviceCertificate(ca, {
        deviceId: assessment.serial,
        storeId: assessment.storeId,
        deviceClass: assessment.deviceClass,
        publicKeySpki: csr.publicKeySpki,
        now,
        ...(request.notAfter ? { notAfter: request.notAfter } : {}),
        ...(request.issuer ? { signingKey: request.issuer.signingKey } : {}),
      });

  if (request.deferRegistration && !existing) {
    return result(request.renew ? 'renewed' : 'issued', issued.pem, issued.generation);
  }

  if (assessment.decision === 'renew' && existing) {
    const next: DeviceRecord = {
      ...existing,
      certificate: certificateRecord(issued),
      // The replaced certificate stays acceptable until it expires: a device in the field keeps
      // using it until it has installed the new one.
      previous_certificates: [existing.certificate, ...existing.previous_certificates].filter(
        (c) => new Date(c.not_after).getTime() > now.getTime(),
      ),
      revision: existing.revision + 1,
    };
    if ((await ctx.devices.update(next)) !== 'updated') {
      throw identityFailure(
        'concurrent-change',
        `'${assessment.serial}' changed while it was being renewed; run the command again`,
      );
    }
    return result('renewed', issued.pem, issued.generation, next);
  }

  const record: DeviceRecord = {
    serial: assessment.serial,
    store: assessment.storeId,
    class: assessment.deviceClass,
    status: 'active',
    how: 'provisioned',
    registered_at: now.toISOString(),
    certificate: certificateRecord(issued),
    previous_certificates: [],
    revision: 1,
  };
  const done = result('issued', issued.pem, issued.generation, record, issued.info);
  await request.beforeRegistration?.(done);
  if ((await ctx.devices.create(record)) === 'exists') {
    // Another run registered this serial since the check: decide again against what it wrote.
    return provisionDevice(ctx, request);
  }
  return done;
}

export function certificateRecord(issued: IssuedDeviceCertificate): CertificateRecord {
  return {
    serial_hex: issued.info.certSerialHex,
    fingerprint256: issued.info.fingerprint256,
    public_key: issued.info.publicKeySpki.toString('base64'),
    generation: issued.generation,
    not_before: issued.info.notBefore.toISOString(),
    not_after: issued.info.notAfter.toISOString(),
    pem: issued.pem,
  };
}

/** An unregistered device has no record; the output directory's certificate shows a repeat. */
function repeatedUnregistered(
  ca: FleetCa,
  assessment: Assessment,
  publicKeySpki: Buffer,
  request: ProvisionRequest,
  now: Date,
): { pem: string; generation: number } | undefined {
  if (request.renew || request.existingCertificatePem === undefined) return undefined;
  try {
    const info = readDeviceCertificate(request.existingCertificatePem);
    const issuer = ca.issuerOf(new X509Certificate(request.existingCertificatePem));
    const matches =
      info.deviceId === assessment.serial &&
      info.storeId === assessment.storeId &&
      info.deviceClass === assessment.deviceClass &&
      info.publicKeySpki.equals(publicKeySpki) &&
      info.notAfter.getTime() > now.getTime() &&
      issuer !== undefined &&
      ca.isTrusted(issuer, now);
    return matches && issuer
      ? { pem: request.existingCertificatePem, generation: issuer.generation }
      : undefined;
  } catch {
    return undefined;
  }
}
