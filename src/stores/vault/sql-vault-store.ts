import type { SqlClient, SqlExecutor } from '../entities/sql/sql-client.js';
import { isSealed, type Sealed } from '../keys/envelope.js';
import { vaultFailure } from './vault-errors.js';
import { migrateVault } from './vault-migrations.js';
import type { VaultStore } from './vault-store.js';
import {
  VAULT_FIELDS,
  accountIdOf,
  checkField,
  checkLookupKind,
  isAccountId,
  type LookupKind,
  type Region,
  type SealedAccount,
  type SealedPaymentMethod,
  type VaultField,
} from './vault-types.js';

const DEFAULT_PAGE = 1000;

/** The ciphertext column of a field: names come from the closed VAULT_FIELDS list, never input. */
const column = (field: VaultField) => `${field}_ct`;

interface AccountRow {
  account_id: string;
  created_at: Date | string;
  updated_at: Date | string;
  erased_at: Date | string | null;
  [ct: `${string}_ct`]: string | null;
}

interface MethodRow {
  account_id: string;
  method_digest: string | null;
  method_ref_ct: string;
  added_at: Date | string;
}

/** The vault store over any SqlClient; PGlite and a PostgreSQL server run the same SQL. */
export class SqlVaultStore implements VaultStore {
  constructor(
    private readonly client: SqlClient,
    readonly region: Region,
  ) {}

  async migrate(): Promise<void> {
    await migrateVault(this.client);
    await this.client.transaction(async (tx) => {
      await tx.query('INSERT INTO vault_region (region) VALUES ($1) ON CONFLICT DO NOTHING', [
        this.region,
      ]);
      const [row] = await tx.query<{ region: string }>('SELECT region FROM vault_region');
      if (row?.region !== this.region) {
        throw vaultFailure(
          'vault-region-mismatch',
          `this database holds the '${row?.region}' vault, not '${this.region}': check the vault URLs`,
        );
      }
    });
  }

  async putAccount(a: {
    accountId: string;
    fields: Partial<Record<VaultField, Sealed>>;
    at: Date;
  }): Promise<void> {
    const accountId = accountIdOf(a.accountId);
    const given = Object.entries(a.fields).filter(([, sealed]) => sealed !== undefined);
    const columns = given.map(([field]) => column(checkField(field)));
    const values = given.map(([field, sealed]) => sealedJson(sealed, field));
    const at = a.at.toISOString();
    const placeholders = columns.map((_, i) => `$${i + 3}`);
    const rows = await this.client.query(
      `INSERT INTO vault_accounts AS v (account_id, created_at, updated_at${columns.map((c) => `, ${c}`).join('')})
       VALUES ($1, $2, $2${placeholders.map((p) => `, ${p}`).join('')})
       ON CONFLICT (account_id) DO UPDATE SET updated_at = EXCLUDED.updated_at${columns
         .map((c) => `, ${c} = EXCLUDED.${c}`)
         .join('')}
       WHERE v.erased_at IS NULL
       RETURNING account_id`,
      [accountId, at, ...values],
    );
    if (rows.length === 0) throw erased(accountId);
  }

  async getAccount(accountId: string): Promise<SealedAccount | undefined> {
    if (!isAccountId(accountId)) return undefined;
    const [row] = await this.client.query<AccountRow>(
      'SELECT * FROM vault_accounts WHERE account_id = $1',
      [accountId],
    );
    if (row === undefined) return undefined;
    const fields: Partial<Record<VaultField, Sealed>> = {};
    for (const field of VAULT_FIELDS) {
      const text = row[`${field}_ct`];
      if (text !== null && text !== undefined) fields[field] = parseSealed(text);
    }
    return {
      accountId: String(row.account_id),
      region: this.region,
      fields,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      ...(row.erased_at === null ? {} : { erasedAt: new Date(row.erased_at) }),
    };
  }

  async findByLookup(kind: LookupKind, digest: string): Promise<string | undefined> {
    const [row] = await this.client.query<{ account_id: string }>(
      'SELECT account_id FROM vault_lookups WHERE kind = $1 AND digest = $2',
      [checkLookupKind(kind), digest],
    );
    return row === undefined ? undefined : String(row.account_id);
  }

  async setLookup(
    kind: LookupKind,
    digest: string,
    accountId: string,
  ): Promise<'created' | 'exists-same' | 'exists-other'> {
    const id = accountIdOf(accountId);
    checkLookupKind(kind);
    return this.client.transaction(async (tx) => {
      await lockOpenAccount(tx, id);
      // A holder that is removed between the insert and the read (its account erased) leaves
      // nothing to read: try again, and the insert goes through.
      for (let attempt = 0; ; attempt++) {
        if (attempt === 3) throw new Error(`lookup ${kind} keeps changing hands; giving up`);
        const inserted = await tx.query(
          `INSERT INTO vault_lookups (kind, digest, account_id) VALUES ($1, $2, $3)
           ON CONFLICT (kind, digest) DO NOTHING RETURNING account_id`,
          [kind, digest, id],
        );
        if (inserted.length > 0) return 'created';
        const [holder] = await tx.query<{ account_id: string }>(
          'SELECT account_id FROM vault_lookups WHERE kind = $1 AND digest = $2',
          [kind, digest],
        );
        if (holder !== undefined) {
          return String(holder.account_id) === id ? 'exists-same' : 'exists-other';
        }
      }
    });
  }

  async addPaymentMethod(m: SealedPaymentMethod): Promise<boolean> {
    const id = accountIdOf(m.accountId);
    if (m.methodDigest === '') {
      throw vaultFailure('invalid-vault-field', 'a payment method needs its digest');
    }
    const ref = sealedJson(m.methodRef, 'methodRef');
    return this.client.transaction(async (tx) => {
      await lockOpenAccount(tx, id);
      const rows = await tx.query(
        `INSERT INTO vault_payment_methods (account_id, method_digest, method_ref_ct, added_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, method_digest) DO NOTHING RETURNING id`,
        [id, m.methodDigest, ref, m.addedAt.toISOString()],
      );
      return rows.length > 0;
    });
  }

  async paymentMethods(accountId: string): Promise<SealedPaymentMethod[]> {
    if (!isAccountId(accountId)) return [];
    const rows = await this.client.query<MethodRow>(
      `SELECT account_id, method_digest, method_ref_ct, added_at FROM vault_payment_methods
       WHERE account_id = $1 ORDER BY id`,
      [accountId],
    );
    return rows.map((r) => ({
      accountId: String(r.account_id),
      methodDigest: r.method_digest ?? '',
      methodRef: parseSealed(r.method_ref_ct),
      addedAt: new Date(r.added_at),
    }));
  }

  async countErasedBefore(before: Date): Promise<number> {
    const [row] = await this.client.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM vault_accounts WHERE erased_at < $1',
      [before.toISOString()],
    );
    return Number(row?.n ?? 0);
  }

  async purgeErasedBefore(before: Date): Promise<number> {
    return this.client.transaction(async (tx) => {
      const at = [before.toISOString()];
      // Lookups went at erasure; payment methods kept their (unreadable) references until now.
      await tx.query(
        `DELETE FROM vault_payment_methods WHERE account_id IN
           (SELECT account_id FROM vault_accounts WHERE erased_at < $1)`,
        at,
      );
      await tx.query(
        `DELETE FROM vault_lookups WHERE account_id IN
           (SELECT account_id FROM vault_accounts WHERE erased_at < $1)`,
        at,
      );
      const rows = await tx.query(
        'DELETE FROM vault_accounts WHERE erased_at < $1 RETURNING account_id',
        at,
      );
      return rows.length;
    });
  }

  async markErased(accountId: string, at: Date): Promise<boolean> {
    if (!isAccountId(accountId)) return false;
    return this.client.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE vault_accounts SET erased_at = $2, updated_at = $2
         WHERE account_id = $1 AND erased_at IS NULL RETURNING account_id`,
        [accountId, at.toISOString()],
      );
      if (rows.length === 0) return false;
      // Digests are keyed by lookup keys that live on: left in place they would still tie a known
      // e-mail, loyalty number or card to this row. The ciphertext stays; its key is what goes.
      await tx.query('DELETE FROM vault_lookups WHERE account_id = $1', [accountId]);
      await tx.query(
        'UPDATE vault_payment_methods SET method_digest = NULL WHERE account_id = $1',
        [accountId],
      );
      return true;
    });
  }

  async listAccountIds(opts: { afterId?: string; limit?: number } = {}): Promise<string[]> {
    const after = opts.afterId === undefined ? null : accountIdOf(opts.afterId);
    const limit = Math.max(0, Math.floor(opts.limit ?? DEFAULT_PAGE));
    const rows = await this.client.query<{ account_id: string }>(
      `SELECT account_id FROM vault_accounts WHERE $1::uuid IS NULL OR account_id > $1::uuid
       ORDER BY account_id LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => String(r.account_id));
  }

  async count(): Promise<{ accounts: number; erased: number }> {
    const [row] = await this.client.query<{ accounts: unknown; erased: unknown }>(
      'SELECT count(*) AS accounts, count(erased_at) AS erased FROM vault_accounts',
    );
    return { accounts: Number(row?.accounts ?? 0), erased: Number(row?.erased ?? 0) };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Holds the account row against erasure until the transaction ends; refuses a closed one. */
async function lockOpenAccount(tx: SqlExecutor, accountId: string): Promise<void> {
  const [row] = await tx.query<{ erased_at: unknown }>(
    'SELECT erased_at FROM vault_accounts WHERE account_id = $1 FOR SHARE',
    [accountId],
  );
  if (row === undefined) throw vaultFailure('unknown-account', `no account ${accountId} here`);
  if (row.erased_at !== null) throw erased(accountId);
}

function erased(accountId: string) {
  return vaultFailure('account-erased', `account ${accountId} was erased; it takes no new data`);
}

function sealedJson(value: unknown, what: string): string {
  if (!isSealed(value)) throw vaultFailure('invalid-vault-field', `${what} is not sealed`);
  // Only the envelope's three parts, whatever else the object carries.
  return JSON.stringify({ iv: value.iv, ct: value.ct, tag: value.tag });
}

function parseSealed(text: string): Sealed {
  const value: unknown = JSON.parse(text);
  if (!isSealed(value)) throw new TypeError('a vault ciphertext column holds no sealed value');
  return value;
}
