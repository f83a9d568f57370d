import {
  createJsonFileExclusive,
  corruptFile,
  listDirectory,
  readJsonFile,
  type DataLayout,
} from '../../../stores/data-dir/index.js';

export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'superseded',
  'cessationOfOperation',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export function isRevocationReason(value: string): value is RevocationReason {
  return (REVOCATION_REASONS as readonly string[]).includes(value);
}

/** One revoked certificate. The log is append-only: one file per certificate, never rewritten. */
export interface RevocationEntry {
  readonly cert_serial: string;
  readonly device_id: string;
  /** The CA generation whose issuing CA signed the certificate: its CRL lists this entry. */
  readonly generation: number;
  readonly revoked_at: string;
  readonly reason: RevocationReason;
}

/** Appends an entry; false if that certificate was already revoked (the first entry stands). */
export function appendRevocation(layout: DataLayout, entry: RevocationEntry): Promise<boolean> {
  return createJsonFileExclusive(layout.revoked(entry.cert_serial), entry);
}

/** Serials of revoked certificates, from file names alone: cheap enough to poll every few seconds. */
export async function revokedSerials(layout: DataLayout): Promise<string[]> {
  return (await listDirectory(layout.revokedDir))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length));
}

export async function readRevocation(
  layout: DataLayout,
  certSerial: string,
): Promise<RevocationEntry | undefined> {
  const path = layout.revoked(certSerial);
  const value = (await readJsonFile(path)) as Partial<RevocationEntry> | undefined;
  if (value === undefined) return undefined;
  if (
    value.cert_serial !== certSerial ||
    typeof value.device_id !== 'string' ||
    typeof value.generation !== 'number' ||
    typeof value.revoked_at !== 'string' ||
    typeof value.reason !== 'string' ||
    !isRevocationReason(value.reason)
  ) {
    throw corruptFile(path, 'not a revocation entry');
  }
  return value as RevocationEntry;
}

export async function readRevocations(layout: DataLayout): Promise<RevocationEntry[]> {
  const entries = await Promise.all(
    (await revokedSerials(layout)).map((serial) => readRevocation(layout, serial)),
  );
  return entries.filter((e): e is RevocationEntry => e !== undefined);
}
