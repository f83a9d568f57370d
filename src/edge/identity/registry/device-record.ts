import {
  isDeviceClass,
  isDeviceId,
  isStoreId,
  type DeviceClass,
  type DeviceId,
  type StoreId,
} from '../../../contract/ids.js';
import { isRevocationReason, type RevocationReason } from '../revocation/revocation-log.js';

export type DeviceStatus = 'active' | 'revoked';
/** Provisioned by the CLI, or registered just in time on first contact with a valid certificate. */
export type RegistrationKind = 'provisioned' | 'jit';

export interface CertificateRecord {
  readonly serial_hex: string;
  readonly fingerprint256: string;
  /** DER SubjectPublicKeyInfo, base64. */
  readonly public_key: string;
  readonly generation: number;
  readonly not_before: string;
  readonly not_after: string;
  /** Kept so a repeated provisioning can hand the same certificate back. */
  readonly pem: string;
}

export interface DeviceRecord {
  readonly serial: DeviceId;
  readonly store: StoreId;
  readonly class: DeviceClass;
  readonly status: DeviceStatus;
  readonly how: RegistrationKind;
  readonly registered_at: string;
  /** The certificate issued last. */
  readonly certificate: CertificateRecord;
  /** Certificates replaced by renewal, still accepted until they expire or are revoked. */
  readonly previous_certificates: readonly CertificateRecord[];
  readonly revoked_at?: string;
  readonly revocation_reason?: RevocationReason;
  /** Increases by one on every change; updates name the revision they expect to replace. */
  readonly revision: number;
}

/** Checks a stored record's shape; returns a reason when it is not a device record. */
export function deviceRecordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (typeof r['serial'] !== 'string' || !isDeviceId(r['serial'])) return 'bad serial';
  if (typeof r['store'] !== 'string' || !isStoreId(r['store'])) return 'bad store';
  if (typeof r['class'] !== 'string' || !isDeviceClass(r['class'])) return 'bad class';
  if (r['status'] !== 'active' && r['status'] !== 'revoked') return 'bad status';
  if (r['how'] !== 'provisioned' && r['how'] !== 'jit') return 'bad how';
  if (typeof r['registered_at'] !== 'string') return 'bad registered_at';
  if (!isCertificateRecord(r['certificate'])) return 'bad certificate';
  const previous = r['previous_certificates'];
  if (!Array.isArray(previous) || !previous.every(isCertificateRecord)) {
    return 'bad previous_certificates';
  }
  if (r['revoked_at'] !== undefined && typeof r['revoked_at'] !== 'string') return 'bad revoked_at';
  const reason = r['revocation_reason'];
  if (reason !== undefined && (typeof reason !== 'string' || !isRevocationReason(reason))) {
    return 'bad revocation_reason';
  }
  if (typeof r['revision'] !== 'number' || !Number.isInteger(r['revision'])) return 'bad revision';
  return undefined;
}

function isCertificateRecord(value: unknown): value is CertificateRecord {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c['serial_hex'] === 'string' &&
    typeof c['fingerprint256'] === 'string' &&
    typeof c['public_key'] === 'string' &&
    typeof c['generation'] === 'number' &&
    typeof c['not_before'] === 'string' &&
    typeof c['not_after'] === 'string' &&
    typeof c['pem'] === 'string'
  );
}

/** Every certificate of a record, current first. */
export function allCertificates(record: DeviceRecord): CertificateRecord[] {
  return [record.certificate, ...record.previous_certificates];
}
