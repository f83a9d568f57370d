import { createHmac } from 'node:crypto';
import { isFailure } from '../../shared/failure.js';
import { open, seal, type Sealed } from '../keys/envelope.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { vaultFailure } from './vault-errors.js';
import {
  accountIdOf,
  checkField,
  checkLookupKind,
  checkRegion,
  type LookupKind,
  type Region,
  type VaultField,
} from './vault-types.js';

/** The purpose a payment-method reference is sealed under, next to the field names. */
const PAYMENT_METHOD = 'payment-method';

/**
 * Envelope encryption of tier 3 fields with a data key per account from the KeyProvider. Each
 * ciphertext's associated data names its region, account and field, so a ciphertext copied to
 * another row, column or region does not open. Destroying the account's key (`shred`) makes every
 * ciphertext of that account unreadable at once, wherever copies of it sit (backups included).
 *
 * Keys are fetched per call, never cached: a shred takes effect for the next call in any process.
 */
export class FieldCipher {
  readonly #lookupKeys = new Map<LookupKind | 'app-code', Promise<Buffer>>();

  constructor(private readonly keys: KeyProvider) {}

  async sealFields(
    region: Region,
    accountId: string,
    plain: Partial<Record<VaultField, string>>,
  ): Promise<Partial<Record<VaultField, Sealed>>> {
    const id = accountIdOf(accountId);
    checkRegion(region);
    const given = Object.entries(plain).filter(([, value]) => value !== undefined);
    const out: Partial<Record<VaultField, Sealed>> = {};
    if (given.length === 0) return out;
    for (const [field] of given) checkField(field);
    const key = await this.accountKey(id);
    for (const [field, value] of given) {
      if (typeof value !== 'string') {
        throw vaultFailure('invalid-vault-field', `${field} must be text`);
      }
      out[field as VaultField] = seal(key, Buffer.from(value, 'utf8'), aad(region, id, field));
    }
    return out;
  }

  /** The plain values of the `which` fields present in `sealed`; absent fields stay absent. */
  async openFields(
    region: Region,
    accountId: string,
    sealed: Partial<Record<VaultField, Sealed>>,
    which: readonly VaultField[],
  ): Promise<Partial<Record<VaultField, string>>> {
    const id = accountIdOf(accountId);
    checkRegion(region);
    const present = which.map(checkField).filter((field) => sealed[field] !== undefined);
    const out: Partial<Record<VaultField, string>> = {};
    if (present.length === 0) return out;
    const key = await this.accountKey(id);
    for (const field of present) {
      out[field] = opened(key, sealed[field]!, aad(region, id, field));
    }
    return out;
  }

  async sealPaymentRef(region: Region, accountId: string, ref: string): Promise<Sealed> {
    const id = accountIdOf(accountId);
    checkRegion(region);
    const key = await this.accountKey(id);
    return seal(key, Buffer.from(ref, 'utf8'), aad(region, id, PAYMENT_METHOD));
  }

  async openPaymentRef(region: Region, accountId: string, sealed: Sealed): Promise<string> {
    const id = accountIdOf(accountId);
    checkRegion(region);
    return opened(await this.accountKey(id), sealed, aad(region, id, PAYMENT_METHOD));
  }

  /**
   * HMAC-SHA256 (hex) of the normalised value under the kind's lookup key: finds an account by
   * e-mail, loyalty number or payment method without storing the value. Normalised by trimming,
   * and e-mail by lower-casing, so the digest of what a person types matches what was stored.
   * Lookup keys are shared by all accounts and live on; a shred removes the account's digests.
   */
  /** Also keys one-time app codes, which live in the entity store, never in the vault. */
  async lookupDigest(kind: LookupKind | 'app-code', value: string): Promise<string> {
    if (kind !== 'app-code') checkLookupKind(kind);
    const trimmed = value.trim();
    const normal = kind === 'email' ? trimmed.toLowerCase() : trimmed;
    const key = await this.lookupKey(kind);
    return createHmac('sha256', key).update(normal, 'utf8').digest('hex');
  }

  /** Destroys the account's key: every ciphertext sealed with it is unreadable from now on. */
  shred(accountId: string): Promise<boolean> {
    return this.keys.destroyDataKey(accountKeyName(accountIdOf(accountId)));
  }

  private async accountKey(accountId: string): Promise<Buffer> {
    try {
      return await this.keys.dataKey(accountKeyName(accountId));
    } catch (error) {
      if (isFailure(error) && error.code === 'key-destroyed') {
        throw vaultFailure('account-erased', `account ${accountId} was erased`, error);
      }
      throw error;
    }
  }

  private lookupKey(kind: LookupKind | 'app-code'): Promise<Buffer> {
    // Cached, unlike account keys: lookup keys are never destroyed, and every lookup needs one.
    let key = this.#lookupKeys.get(kind);
    if (key === undefined) {
      key = this.keys.dataKey(`vault.lookup.${kind}`);
      key.catch(() => this.#lookupKeys.delete(kind));
      this.#lookupKeys.set(kind, key);
    }
    return key;
  }
}

/** The KeyProvider name of an account's data key; a lower-case UUID passes isKeyName. */
export function accountKeyName(accountId: string): string {
  return `vault.account.${accountId}`;
}

function aad(region: Region, accountId: string, field: string): string {
  return `fleetplane:vault:${region}:${accountId}:${field}`;
}

function opened(key: Buffer, sealed: Sealed, purpose: string): string {
  try {
    return open(key, sealed, purpose).toString('utf8');
  } catch (error) {
    if (isFailure(error) && error.code === 'decrypt-failed') {
      throw vaultFailure('decrypt-failed', `${purpose} did not open: tampered, or moved`, error);
    }
    throw error;
  }
}
