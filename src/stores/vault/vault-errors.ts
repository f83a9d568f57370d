import { Failure } from '../../shared/failure.js';

/** Every expected failure of the vault, storage and cipher, in one closed set. */
export type VaultErrorCode =
  | 'invalid-region'
  | 'invalid-account-id'
  | 'invalid-vault-field'
  | 'unknown-account'
  /** The account was erased: its key is destroyed (cipher) or its row closed to writes (store). */
  | 'account-erased'
  /** A ciphertext did not open: tampered, or moved to another account, field or region. */
  | 'decrypt-failed'
  | 'invalid-vault-url'
  | 'vault-unavailable'
  | 'vault-schema-newer'
  /** The database was claimed by the other region: a misconfigured URL, refused before any write. */
  | 'vault-region-mismatch';

export class VaultFailure extends Failure<VaultErrorCode> {}

export function vaultFailure(code: VaultErrorCode, message: string, cause?: unknown): VaultFailure {
  return new VaultFailure(code, message, cause === undefined ? undefined : { cause });
}
