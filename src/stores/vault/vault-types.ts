import type { Sealed } from '../keys/envelope.js';
import { vaultFailure } from './vault-errors.js';

export type { Sealed } from '../keys/envelope.js';

/** Where a person's tier 3 data lives; it never leaves its region's database. */
export type Region = 'us' | 'eu';
export const REGIONS: readonly Region[] = ['us', 'eu'];

/** The tier 3 fields an account can hold, each in its own ciphertext column. */
export type VaultField =
  'email' | 'first_name' | 'last_name' | 'phone' | 'address' | 'loyalty_number';
export const VAULT_FIELDS: readonly VaultField[] = [
  'email',
  'first_name',
  'last_name',
  'phone',
  'address',
  'loyalty_number',
];

/** What a lookup digest stands for; the digest is a keyed HMAC, never the value. */
export type LookupKind = 'loyalty' | 'email' | 'payment-method';
export const LOOKUP_KINDS: readonly LookupKind[] = ['loyalty', 'email', 'payment-method'];

export interface SealedAccount {
  readonly accountId: string;
  readonly region: Region;
  readonly fields: Partial<Record<VaultField, Sealed>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly erasedAt?: Date;
}

export interface SealedPaymentMethod {
  readonly accountId: string;
  /** The method's lookup digest; '' once the account is erased (the digest is linkable). */
  readonly methodDigest: string;
  readonly methodRef: Sealed;
  readonly addedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * The account id in its one spelling, lower case: it names a key (key names are lower case) and
 * is bound into every ciphertext, so 'A1…' and 'a1…' must not be two accounts.
 */
export function accountIdOf(value: string): string {
  if (!isAccountId(value)) {
    throw vaultFailure('invalid-account-id', `'${String(value)}' is not an account id (a UUID)`);
  }
  return value.toLowerCase();
}

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

export function checkRegion(value: string): Region {
  if (!isRegion(value)) throw vaultFailure('invalid-region', `unknown region '${value}'`);
  return value;
}

export function isVaultField(value: unknown): value is VaultField {
  return typeof value === 'string' && (VAULT_FIELDS as readonly string[]).includes(value);
}

export function checkField(value: string): VaultField {
  if (!isVaultField(value)) throw vaultFailure('invalid-vault-field', `unknown field '${value}'`);
  return value;
}

export function checkLookupKind(value: string): LookupKind {
  if (!(LOOKUP_KINDS as readonly string[]).includes(value)) {
    throw vaultFailure('invalid-vault-field', `unknown lookup kind '${value}'`);
  }
  return value as LookupKind;
}
