import type {
  LookupKind,
  Region,
  Sealed,
  SealedAccount,
  SealedPaymentMethod,
  VaultField,
} from './vault-types.js';

/**
 * The vault's storage port for tier 3 data (email, names, phone, address, loyalty number, payment
 * method references): one database per region, a ciphertext column per field. It knows nothing of
 * keys: callers seal before and open after (field-cipher.ts). Account ids are UUIDs; a malformed
 * one is refused on writes ('invalid-account-id') and finds nothing on reads. PGlite and
 * PostgreSQL adapters both pass vault-store.contract.ts.
 */
export interface VaultStore {
  readonly region: Region;
  /** Brings the schema up to date and claims the database for this region (refused if taken). */
  migrate(): Promise<void>;
  /**
   * Inserts or replaces the given sealed fields, creating the row; fields not given are left as
   * they are. Refused with 'account-erased' once the account was erased.
   */
  putAccount(a: {
    accountId: string;
    fields: Partial<Record<VaultField, Sealed>>;
    at: Date;
  }): Promise<void>;
  /** The row, erased or not: an erased account still shows its (now unreadable) ciphertext. */
  getAccount(accountId: string): Promise<SealedAccount | undefined>;
  /** Lookup digests are keyed HMACs computed by the caller (never the plain value). */
  findByLookup(kind: LookupKind, digest: string): Promise<string | undefined>;
  /** Claims a digest for an account; never moves one already held by another account. */
  setLookup(
    kind: LookupKind,
    digest: string,
    accountId: string,
  ): Promise<'created' | 'exists-same' | 'exists-other'>;
  /** False when the account already has this method. */
  addPaymentMethod(m: SealedPaymentMethod): Promise<boolean>;
  /** Oldest first. */
  paymentMethods(accountId: string): Promise<SealedPaymentMethod[]>;
  /**
   * Crypto-shredding's storage half: lookups removed, payment-method digests cleared, erasedAt
   * set; ciphertext deliberately LEFT in place (unreadable once the key is destroyed). False when
   * the account is unknown or already erased.
   */
  markErased(accountId: string, at: Date): Promise<boolean>;
  /** Rows erased before `before`: what `purgeErasedBefore` would delete (decision 063). */
  countErasedBefore(before: Date): Promise<number>;
  /**
   * Retention's hard delete: rows erased before `before` (7 years after the account ended) go
   * with their payment methods; returns how many accounts.
   */
  purgeErasedBefore(before: Date): Promise<number>;
  /** Account ids in order, erased ones included; a page of `limit` (default 1000) after `afterId`. */
  listAccountIds(opts?: { afterId?: string; limit?: number }): Promise<string[]>;
  /** `accounts` counts every row, erased ones included. */
  count(): Promise<{ accounts: number; erased: number }>;
  close(): Promise<void>;
}
