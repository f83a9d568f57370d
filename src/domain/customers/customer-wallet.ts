import type { AuditActor, AuditLog } from '../../stores/audit/audit-log.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import type { FieldCipher } from '../../stores/vault/field-cipher.js';
import type { Vaults } from './identity-service.js';

export interface Wallet {
  /** The loyalty card as the app shows it: the last four digits only. */
  readonly loyaltyCards: { readonly last4: string }[];
  /** The payment service's opaque references of the cards this account registered. */
  readonly paymentMethods: { readonly methodRef: string; readonly addedAt: string }[];
}

/**
 * What the customer app shows of a customer's own cards: read from the vault through the same
 * audited path as every other decrypt, and never more than the app needs (a loyalty number's last
 * four digits; a payment method only as its opaque reference).
 */
export async function readWallet(
  deps: { entities: EntityStore; vaults: Vaults; cipher: FieldCipher; audit: AuditLog },
  customerId: string,
  actor: AuditActor,
): Promise<Wallet> {
  const account = await deps.entities.getAccount(customerId);
  const vault = account && deps.vaults.get(account.region);
  const record = await vault?.getAccount(customerId);
  if (!account || !vault || !record || record.erasedAt) {
    return { loyaltyCards: [], paymentMethods: [] };
  }
  const methods = await vault.paymentMethods(customerId);
  const fields = record.fields.loyalty_number ? (['loyalty_number'] as const) : [];
  if (fields.length === 0 && methods.length === 0) return { loyaltyCards: [], paymentMethods: [] };
  const opened = await deps.cipher.openFields(account.region, customerId, record.fields, [
    ...fields,
  ]);
  const refs = await Promise.all(
    methods.map((m) => deps.cipher.openPaymentRef(account.region, customerId, m.methodRef)),
  );
  await deps.audit.append({
    actor,
    action: 'decrypt',
    purpose: 'customer app: own cards',
    accountId: customerId,
    region: account.region,
    fields: [...fields, ...(methods.length > 0 ? ['payment_method'] : [])],
  });
  return {
    loyaltyCards: opened.loyalty_number ? [{ last4: opened.loyalty_number.slice(-4) }] : [],
    paymentMethods: methods.map((m, i) => ({
      methodRef: refs[i]!,
      addedAt: m.addedAt.toISOString(),
    })),
  };
}
