import type { AuditActor, AuditLog } from '../../stores/audit/audit-log.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import type { FieldCipher } from '../../stores/vault/field-cipher.js';
import type { Vaults } from './identity-service.js';
import type { MemberRow, RejectedRow } from './members-csv.js';

export interface ImportReport {
  readonly imported: number;
  /** Already members (a second run of the same file). */
  readonly unchanged: number;
  readonly rejected: RejectedRow[];
}

export interface ImportDeps {
  readonly entities: EntityStore;
  readonly vaults: Vaults;
  readonly cipher: FieldCipher;
  readonly audit: AuditLog;
  readonly now?: () => number;
  readonly progress?: (done: number, total: number) => void;
}

/**
 * Loads members: a tier 2 account keyed by the loyalty digest, and the tier 3 record sealed under
 * the account's own key in its region's vault. Safe to run twice: a member already there is left
 * as it is (a correction is a data-subject request), and one whose vault write was interrupted
 * last time is completed.
 */
export async function importMembers(
  rows: readonly MemberRow[],
  actor: AuditActor,
  deps: ImportDeps,
): Promise<ImportReport> {
  const now = deps.now ?? Date.now;
  let imported = 0;
  let unchanged = 0;
  const rejected: RejectedRow[] = [];
  for (const [i, row] of rows.entries()) {
    const vault = deps.vaults.get(row.region);
    if (!vault) {
      rejected.push({ line: row.line, reason: `no vault for region ${row.region}` });
      continue;
    }
    const loyaltyDigest = await deps.cipher.lookupDigest('loyalty', row.loyaltyNumber);
    const { customerId, created } = await deps.entities.createAccount({
      kind: 'member',
      region: row.region,
      loyaltyDigest,
    });
    const account = await deps.entities.getAccount(customerId);
    if (account && account.region !== row.region) {
      rejected.push({ line: row.line, reason: `already a member in region ${account.region}` });
      continue;
    }
    if (!created && (await vault.getAccount(customerId))) {
      unchanged++;
      continue;
    }
    const fields = await deps.cipher.sealFields(row.region, customerId, {
      ...row.fields,
      loyalty_number: row.loyaltyNumber,
    });
    await vault.putAccount({ accountId: customerId, fields, at: new Date(now()) });
    await vault.setLookup('loyalty', loyaltyDigest, customerId);
    if (row.fields.email) {
      await vault.setLookup(
        'email',
        await deps.cipher.lookupDigest('email', row.fields.email),
        customerId,
      );
    }
    imported++;
    if ((i + 1) % 100 === 0) deps.progress?.(i + 1, rows.length);
  }
  deps.progress?.(rows.length, rows.length);
  await deps.audit.append({
    actor,
    action: 'import',
    purpose: 'loyalty programme import',
    detail: { imported, unchanged, rejected: rejected.length },
  });
  return { imported, unchanged, rejected };
}
