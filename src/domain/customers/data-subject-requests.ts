import { isFailure } from '../../shared/failure.js';
import type { AuditActor, AuditLog, AuditRecord } from '../../stores/audit/audit-log.js';
import type {
  AccountRecord,
  AccountRegion,
  DsarRequest,
} from '../../stores/entities/customers/customer-records.js';
import type { EntityStore, SessionView } from '../../stores/entities/entity-store.js';
import type { FieldCipher } from '../../stores/vault/field-cipher.js';
import { VAULT_FIELDS, type VaultField } from '../../stores/vault/vault-types.js';
import { CustomerFailure } from './customer-errors.js';
import type { Vaults } from './identity-service.js';
import {
  TOKENISED_IDENTIFIERS,
  type DomainTokenCount,
  type PersonalTokens,
} from './personal-tokens.js';

/** Who asks, from where, and (for the audited ops path across regions) why. */
export interface DsarCaller {
  readonly actor: AuditActor;
  /** The region the request is made from; absent: the account's own (the deployment's CLI). */
  readonly region?: AccountRegion;
  /** Ops only: the reason a cross-region request is allowed; audited. */
  readonly overrideReason?: string;
}

export interface AccountExport {
  readonly request: DsarRequest;
  readonly account: AccountRecord;
  readonly profile: Partial<Record<VaultField, string>>;
  readonly paymentMethods: string[];
  readonly sessions: SessionView[];
  readonly shoppingLists: Record<string, string[]>;
  /** Who accessed this account's personal data, and why. */
  readonly accessLog: AuditRecord[];
  /** The masking domains whose token store holds entries for this person (never the values). */
  readonly tokenDomains: DomainTokenCount[];
}

export interface DeletionReport {
  readonly request: DsarRequest;
  readonly keyDestroyed: boolean;
  readonly sessionsUnlinked: number;
  /** The masking-token entries destroyed, per domain. */
  readonly tokensErased: DomainTokenCount[];
}

export interface DsarDeps {
  readonly entities: EntityStore;
  readonly vaults: Vaults;
  readonly cipher: FieldCipher;
  readonly audit: AuditLog;
  /** The masking token store; without it, DSARs do not reach masked data's mappings. */
  readonly tokens?: PersonalTokens;
  readonly now?: () => number;
}

/**
 * Data-subject requests against tier 3 and tier 2 together: export everything held, correct,
 * delete (crypto-shredding: the account's key is destroyed, so the ciphertext left in the vault
 * and in any old backup is unreadable; tier 2 links are removed; tier 1 holds nothing personal;
 * the masking token store's entries for the person's identifiers are destroyed).
 * Every request is recorded with its 30-day deadline and audited.
 */
export class DataSubjectRequests {
  readonly #now: () => number;

  constructor(private readonly deps: DsarDeps) {
    this.#now = deps.now ?? Date.now;
  }

  async findByLoyalty(loyaltyNumber: string): Promise<string | undefined> {
    const digest = await this.deps.cipher.lookupDigest('loyalty', loyaltyNumber);
    return this.deps.entities.findAccountByLoyalty(digest);
  }

  list(state?: DsarRequest['state']): Promise<DsarRequest[]> {
    return this.deps.entities.listDsarRequests(state ? { state } : {});
  }

  async export(customerId: string, caller: DsarCaller): Promise<AccountExport> {
    const { account, request } = await this.#open(customerId, 'export', caller);
    const { entities, vaults, cipher, audit } = this.deps;
    const vault = vaults.get(account.region);
    const record = await vault?.getAccount(customerId);
    const present = VAULT_FIELDS.filter((f) => record?.fields[f] !== undefined);
    const profile =
      record && present.length > 0
        ? await cipher.openFields(account.region, customerId, record.fields, present)
        : {};
    const methods = (await vault?.paymentMethods(customerId)) ?? [];
    const paymentMethods = await Promise.all(
      methods.map((m) => cipher.openPaymentRef(account.region, customerId, m.methodRef)),
    );
    const sessions = await entities.listAccountSessions(customerId);
    const stores = [...new Set(sessions.map((s) => s.storeId))];
    const shoppingLists: Record<string, string[]> = {};
    for (const store of stores) {
      const list = await entities.getShoppingList(customerId, store);
      if (list.length > 0) shoppingLists[store] = list;
    }
    const accessLog = await audit.query({ accountId: customerId });
    const tokenDomains = (await this.deps.tokens?.find(identifiersOf(customerId, profile))) ?? [];
    await audit.append({
      actor: caller.actor,
      action: 'export',
      purpose: 'data-subject export',
      accountId: customerId,
      region: account.region,
      fields: [...present, ...(methods.length > 0 ? ['payment_method'] : [])],
      detail: { request_id: request.requestId, token_domains: tokenDomains.length },
    });
    const done = await this.#close(request, 'completed', 'exported');
    return {
      request: done,
      account,
      profile,
      paymentMethods,
      sessions,
      shoppingLists,
      accessLog,
      tokenDomains,
    };
  }

  async correct(
    customerId: string,
    fields: Partial<Record<Exclude<VaultField, 'loyalty_number'>, string>>,
    caller: DsarCaller,
  ): Promise<DsarRequest> {
    const names = Object.keys(fields) as VaultField[];
    if (names.length === 0) throw new CustomerFailure('invalid-request', 'nothing to correct');
    const { account, request } = await this.#open(customerId, 'correct', caller);
    const vault = this.#vault(account.region);
    const sealed = await this.deps.cipher.sealFields(account.region, customerId, fields);
    await vault.putAccount({ accountId: customerId, fields: sealed, at: new Date(this.#now()) });
    await this.deps.audit.append({
      actor: caller.actor,
      action: 'correct',
      purpose: 'data-subject correction',
      accountId: customerId,
      region: account.region,
      fields: names,
      detail: { request_id: request.requestId },
    });
    return this.#close(request, 'completed', `corrected ${names.join(', ')}`);
  }

  async delete(customerId: string, caller: DsarCaller): Promise<DeletionReport> {
    const { account, request } = await this.#open(customerId, 'delete', caller);
    const vault = this.#vault(account.region);
    // Tokens before the key: their identifiers are read from the record the key opens, so if
    // this fails the request can be run again; afterwards nothing could find them.
    const tokensErased = await this.#eraseTokens(customerId, account.region);
    // Then the key: once it is gone nothing can read the record, whatever fails after.
    const keyDestroyed = await this.deps.cipher.shred(customerId);
    await vault.markErased(customerId, new Date(this.#now()));
    const { sessionsUnlinked } = await this.deps.entities.forgetAccount(customerId, this.#now());
    await this.deps.audit.append({
      actor: caller.actor,
      action: 'delete',
      purpose: 'data-subject deletion (crypto-shredding)',
      accountId: customerId,
      region: account.region,
      detail: {
        request_id: request.requestId,
        sessions_unlinked: sessionsUnlinked,
        token_domains: tokensErased.map((d) => d.domain).join(','),
        token_entries: tokensErased.reduce((n, d) => n + d.entries, 0),
      },
    });
    const done = await this.#close(request, 'completed', 'key destroyed; tier 2 links removed');
    return { request: done, keyDestroyed, sessionsUnlinked, tokensErased };
  }

  async #eraseTokens(customerId: string, region: AccountRegion): Promise<DomainTokenCount[]> {
    if (!this.deps.tokens) return [];
    const record = await this.#vault(region).getAccount(customerId);
    const present = TOKENISED_IDENTIFIERS.filter((f) => record?.fields[f] !== undefined);
    const profile =
      record && present.length > 0
        ? await this.deps.cipher
            .openFields(region, customerId, record.fields, present)
            .catch((error: unknown) => {
              // Erased already, and restored from a backup taken before (decision 064): the
              // identifiers' tokens went with the first deletion; the account id's remain.
              if (isFailure(error) && error.code === 'account-erased') return {};
              throw error;
            })
        : {};
    return this.deps.tokens.erase(identifiersOf(customerId, profile), new Date(this.#now()));
  }

  async #open(customerId: string, kind: DsarRequest['kind'], caller: DsarCaller) {
    const account = await this.deps.entities.getAccount(customerId);
    if (!account || account.deletedAt !== null) {
      throw new CustomerFailure('account-not-found', 'no such account, or it was deleted');
    }
    const request = await this.deps.entities.openDsarRequest({
      customerId,
      kind,
      region: account.region,
      requestedBy: `${caller.actor.role}:${caller.actor.subject}`,
      at: this.#now(),
    });
    if (caller.region !== undefined && caller.region !== account.region) {
      if (caller.actor.role !== 'ops' || !caller.overrideReason) {
        await this.#close(request, 'refused', `residency: request from ${caller.region}`);
        throw new CustomerFailure(
          'residency-refused',
          `the account's data lives in region ${account.region}; a request from ${caller.region} goes through the audited ops path`,
        );
      }
      await this.deps.audit.append({
        actor: caller.actor,
        action: 'residency-override',
        purpose: caller.overrideReason,
        accountId: customerId,
        region: account.region,
        detail: { request_id: request.requestId, from_region: caller.region },
      });
    }
    return { account, request };
  }

  #vault(region: AccountRegion) {
    const vault = this.deps.vaults.get(region);
    if (!vault) throw new CustomerFailure('vault-unavailable', `no vault for region ${region}`);
    return vault;
  }

  async #close(request: DsarRequest, state: 'completed' | 'refused', outcome: string) {
    return (
      (await this.deps.entities.closeDsarRequest(request.requestId, state, this.#now(), outcome)) ??
      request
    );
  }
}

/** The values a rubric may have tokenised for this person: the account id and unique fields. */
function identifiersOf(customerId: string, profile: Partial<Record<VaultField, string>>): string[] {
  const values = TOKENISED_IDENTIFIERS.map((f) => profile[f]);
  return [customerId, ...values.filter((v): v is string => v !== undefined && v !== '')];
}
