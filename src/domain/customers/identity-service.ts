import { randomInt } from 'node:crypto';
import {
  CREDENTIAL_PATTERNS,
  FIRST_NAME_PATTERN,
  credentialAad,
  openCredential,
  type Identify,
} from '../../contract/index.js';
import type { AuditActor, AuditLog } from '../../stores/audit/audit-log.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import type {
  AccountKind,
  AccountRegion,
} from '../../stores/entities/customers/customer-records.js';
import type { PaymentGateway } from '../payment-bridge/payment-gateway.js';
import type { FieldCipher } from '../../stores/vault/field-cipher.js';
import type { VaultStore } from '../../stores/vault/vault-store.js';
import { CustomerFailure } from './customer-errors.js';
import type { CredentialSealKeys } from './seal-keys.js';

/** How long a pairing code the app shows stays redeemable. */
export const APP_CODE_TTL_MS = 5 * 60_000;
// No 0/O, 1/I: a person may have to type it when the scanner cannot read the phone.
const APP_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const APP_CODE_LENGTH = 8;

export type Vaults = ReadonlyMap<AccountRegion, VaultStore>;

export type Resolution =
  | {
      readonly ok: true;
      readonly customerId: string;
      readonly kind: AccountKind;
      readonly created: boolean;
    }
  | { readonly ok: false; readonly reason: ResolutionRefusal; readonly detail: string };

export type ResolutionRefusal =
  'seal' | 'credential-format' | 'app-code' | 'payment-unavailable' | 'account-deleted';

export interface IdentityServiceDeps {
  readonly entities: EntityStore;
  readonly vaults: Vaults;
  readonly cipher: FieldCipher;
  readonly audit: AuditLog;
  readonly sealKeys: CredentialSealKeys;
  /** Absent when no payment service is configured: card taps cannot be resolved. */
  readonly payments?: PaymentGateway;
  /** The region a store's customers' tier 3 records live in. */
  readonly storeRegion: (storeId: string) => Promise<AccountRegion>;
  readonly now?: () => number;
}

const SERVICE: AuditActor = { role: 'service', subject: 'identity-service' };

/**
 * The one gateway between tier 2 (the entity store) and tier 3 (the vaults): it turns a cart's
 * sealed credential into an account, and it is the only code that decrypts a vault field or joins
 * an account to its vault record, writing an audit record each time (decision 020).
 */
export class IdentityService {
  readonly #now: () => number;

  constructor(private readonly deps: IdentityServiceDeps) {
    this.#now = deps.now ?? Date.now;
  }

  /** Three ways in, one result: the account behind a loyalty card, a payment card or an app code. */
  async resolve(identify: Identify, storeId: string): Promise<Resolution> {
    const value = await this.#open(identify);
    if (value === undefined) {
      return { ok: false, reason: 'seal', detail: 'the credential does not open with a seal key' };
    }
    if (!CREDENTIAL_PATTERNS[identify.method].test(value)) {
      return {
        ok: false,
        reason: 'credential-format',
        detail: `not a valid ${identify.method} credential`,
      };
    }
    const region = await this.deps.storeRegion(storeId);
    switch (identify.method) {
      case 'loyalty':
        return this.#loyalty(value, region, storeId);
      case 'payment-token':
        return this.#paymentCard(value, region, storeId, identify.device_id);
      case 'app-code':
        return this.#appCode(value, identify.session_id);
    }
  }

  /**
   * The first name a cart may show a known customer, decrypted and audited; undefined for a
   * card-holder, an account without one, or a store in another region than the account's vault.
   */
  async greeting(
    customerId: string,
    context: { readonly storeId: string; readonly deviceId: string; readonly sessionId: string },
  ): Promise<string | undefined> {
    const account = await this.deps.entities.getAccount(customerId);
    if (!account || account.deletedAt !== null) return undefined;
    // Showing an EU customer's name on a US cart would move tier 3 data across regions.
    if ((await this.deps.storeRegion(context.storeId)) !== account.region) return undefined;
    const vault = this.deps.vaults.get(account.region);
    const record = await vault?.getAccount(customerId);
    if (!record?.fields.first_name || record.erasedAt) return undefined;
    const opened = await this.deps.cipher.openFields(account.region, customerId, record.fields, [
      'first_name',
    ]);
    await this.deps.audit.append({
      actor: SERVICE,
      action: 'decrypt',
      purpose: 'greet customer on cart',
      accountId: customerId,
      deviceId: context.deviceId,
      storeId: context.storeId,
      region: account.region,
      fields: ['first_name'],
      detail: { session_id: context.sessionId },
    });
    const name = opened.first_name?.trim().split(/\s+/)[0];
    return name && new RegExp(FIRST_NAME_PATTERN, 'u').test(name) ? name : undefined;
  }

  /** A one-time pairing code for a signed-in app user, shown as a QR code the cart scans. */
  async issueAppCode(customerId: string): Promise<{ code: string; expiresAt: string }> {
    const account = await this.deps.entities.getAccount(customerId);
    if (!account || account.deletedAt !== null)
      throw new CustomerFailure('account-not-found', 'no such account, or it was deleted');
    let code = '';
    for (let i = 0; i < APP_CODE_LENGTH; i++) code += APP_CODE_ALPHABET[randomInt(32)];
    const expiresAt = this.#now() + APP_CODE_TTL_MS;
    await this.deps.entities.putAppCode(
      await this.deps.cipher.lookupDigest('app-code', code),
      customerId,
      expiresAt,
    );
    return { code, expiresAt: new Date(expiresAt).toISOString() };
  }

  async #open(identify: Identify): Promise<string | undefined> {
    const key = await this.deps.sealKeys.privateKeyFor(identify.credential.kid);
    if (!key) return undefined;
    const aad = credentialAad(identify.device_id, identify.session_id, identify.method);
    return openCredential(key, identify.credential, aad);
  }

  // A card the programme never imported still works: a pseudonymous member keyed by its digest.
  async #loyalty(number: string, region: AccountRegion, storeId: string): Promise<Resolution> {
    const digest = await this.deps.cipher.lookupDigest('loyalty', number);
    const known = await this.deps.entities.findAccountByLoyalty(digest);
    if (known) return { ok: true, customerId: known, kind: 'member', created: false };
    const { customerId, created } = await this.deps.entities.createAccount({
      kind: 'member',
      region,
      homeStoreId: storeId,
      loyaltyDigest: digest,
    });
    const account = await this.deps.entities.getAccount(customerId);
    if (account?.deletedAt) {
      return { ok: false, reason: 'account-deleted', detail: 'this card was deleted' };
    }
    return { ok: true, customerId, kind: 'member', created };
  }

  // The token is the EMV module's; the payment service turns it into a stable method reference,
  // and only the store's region's vault is asked who registered it (residency).
  async #paymentCard(
    token: string,
    region: AccountRegion,
    storeId: string,
    deviceId: string,
  ): Promise<Resolution> {
    const { payments, vaults, cipher, audit, entities } = this.deps;
    const vault = vaults.get(region);
    if (!payments || !vault) {
      return {
        ok: false,
        reason: 'payment-unavailable',
        detail: 'card taps cannot be resolved now; the session continues as a guest',
      };
    }
    let methodRef: string;
    try {
      methodRef = (await payments.resolveMethod(token)).methodRef;
    } catch {
      return {
        ok: false,
        reason: 'payment-unavailable',
        detail: 'the payment service did not answer; the session continues as a guest',
      };
    }
    const digest = await cipher.lookupDigest('payment-method', methodRef);
    const owner = await vault.findByLookup('payment-method', digest);
    if (owner) {
      await audit.append({
        actor: SERVICE,
        action: 'join',
        purpose: 'resolve payment card at cart',
        accountId: owner,
        deviceId,
        storeId,
        region,
        fields: ['payment_method'],
      });
      return { ok: true, customerId: owner, kind: 'card-holder', created: false };
    }
    const { customerId } = await entities.createAccount({
      kind: 'card-holder',
      region,
      homeStoreId: storeId,
    });
    const at = new Date(this.#now());
    await vault.putAccount({ accountId: customerId, fields: {}, at });
    await vault.addPaymentMethod({
      accountId: customerId,
      methodDigest: digest,
      methodRef: await cipher.sealPaymentRef(region, customerId, methodRef),
      addedAt: at,
    });
    const claimed = await vault.setLookup('payment-method', digest, customerId);
    // Two carts tapping one new card at once: the first registration wins, the other is an orphan
    // card-holder with no sessions, which a deletion sweep may remove.
    const winner =
      claimed === 'exists-other'
        ? ((await vault.findByLookup('payment-method', digest)) ?? customerId)
        : customerId;
    await audit.append({
      actor: SERVICE,
      action: 'join',
      purpose: 'register anonymous card-holder at cart',
      accountId: winner,
      deviceId,
      storeId,
      region,
      fields: ['payment_method'],
    });
    return { ok: true, customerId: winner, kind: 'card-holder', created: winner === customerId };
  }

  async #appCode(code: string, sessionId: string): Promise<Resolution> {
    const digest = await this.deps.cipher.lookupDigest('app-code', code);
    const customerId = await this.deps.entities.redeemAppCode(digest, sessionId, this.#now());
    if (!customerId) {
      return {
        ok: false,
        reason: 'app-code',
        detail: 'the app code is unknown, used or expired: show a new one',
      };
    }
    return { ok: true, customerId, kind: 'app-user', created: false };
  }
}
