/**
 * Where a KMS-backed key provider keeps what KMS does not: the wrapped data keys and salts
 * (KMS ciphertext blobs, useless without a Decrypt call under the right key and context), the salt
 * metadata the rotation rules need, and tombstones for destroyed keys. Never plaintext key
 * material. Files are the embedded adapter (file-wrapped-key-store.ts); a database table would do.
 *
 * Names are paths of lowercase segments (`data/<key name>`, `salts/<salt id>`). Records are
 * created exclusively, so two processes creating the same key agree on one winner; only a
 * tombstone ever replaces a record.
 */
export interface WrappedKeyStore {
  get(name: string): Promise<WrappedKeyRecord | undefined>;
  /** Creates the record unless one exists under that name (returns false then). */
  createExclusive(name: string, record: WrappedKeyRecord): Promise<boolean>;
  /** Replaces (or creates) the record atomically: how a destroyed key's tombstone is written. */
  replace(name: string, record: WrappedKeyRecord): Promise<void>;
  /** Every record whose name starts with `prefix` (e.g. `salts/`), in any order. */
  list(prefix: string): Promise<StoredRecord[]>;
  /** Names the storage in failure messages. */
  readonly where: string;
}

export interface StoredRecord {
  readonly name: string;
  readonly record: WrappedKeyRecord;
}

export type WrappedKeyRecord = WrappedDataKey | WrappedSalt | DestroyedKey;

/** A data key as KMS GenerateDataKey returned it, less the plaintext. */
export interface WrappedDataKey {
  readonly kind: 'data-key';
  readonly name: string;
  readonly createdAt: string;
  /** The ARN of the KMS key that wrapped it, as KMS reported it: Decrypt asks for this key. */
  readonly kmsKeyArn: string;
  /** The KMS CiphertextBlob, base64. */
  readonly ciphertextBlob: string;
}

export interface WrappedSalt {
  readonly kind: 'salt';
  readonly id: string;
  readonly quarter: string;
  readonly activeFrom: string;
  readonly reason: 'first' | 'scheduled' | 'manual';
  readonly createdAt: string;
  readonly kmsKeyArn: string;
  readonly ciphertextBlob: string;
}

/** What is left of a destroyed data key: its name stays taken, so it cannot be re-created. */
export interface DestroyedKey {
  readonly kind: 'destroyed';
  readonly name: string;
  readonly destroyedAt: string;
}

const SEGMENT = '[a-z0-9][a-z0-9._-]{0,127}';
const STORE_NAME = new RegExp(`^${SEGMENT}(/${SEGMENT})*$`);

/** Store names become file paths: no '..', no absolute paths, no uppercase or odd characters. */
export function isStoreName(name: string): boolean {
  return STORE_NAME.test(name) && !name.includes('..');
}

/** The record if `value` has the shape of one, undefined otherwise (the store reports it corrupt). */
export function parseWrappedKeyRecord(value: unknown): WrappedKeyRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const strings = (...fields: string[]) => fields.every((f) => typeof r[f] === 'string');
  switch (r['kind']) {
    case 'data-key':
      return strings('name', 'createdAt', 'kmsKeyArn', 'ciphertextBlob')
        ? (r as unknown as WrappedDataKey)
        : undefined;
    case 'salt':
      return strings('id', 'quarter', 'activeFrom', 'createdAt', 'kmsKeyArn', 'ciphertextBlob') &&
        ['first', 'scheduled', 'manual'].includes(r['reason'] as string) &&
        !Number.isNaN(Date.parse(r['activeFrom'] as string))
        ? (r as unknown as WrappedSalt)
        : undefined;
    case 'destroyed':
      return strings('name', 'destroyedAt') ? (r as unknown as DestroyedKey) : undefined;
    default:
      return undefined;
  }
}
