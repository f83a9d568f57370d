import type { SqlClient } from '../entities/sql/sql-client.js';
import { vaultFailure } from './vault-errors.js';

/** One step of the vault schema; numbered, applied once in order, never edited after release. */
export interface VaultMigration {
  readonly id: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const VAULT_MIGRATIONS: readonly VaultMigration[] = [
  {
    id: 1,
    name: 'vault',
    statements: [
      // Which region this database serves: written once, checked on every open, so a URL pointed
      // at the other region's database is refused before anything is written to it.
      `CREATE TABLE vault_region (
         only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
         region text NOT NULL CHECK (region IN ('us', 'eu'))
       )`,
      // The engine refuses a plain value in a ciphertext column: only the JSON of an AES-GCM
      // envelope (iv, ct, tag) goes in. It cannot prove encryption, but it stops the easy mistake.
      `CREATE DOMAIN sealed_json AS text
         CHECK (VALUE::jsonb ?& ARRAY['iv', 'ct', 'tag'])`,
      `CREATE TABLE vault_accounts (
         account_id uuid PRIMARY KEY,
         email_ct sealed_json,
         first_name_ct sealed_json,
         last_name_ct sealed_json,
         phone_ct sealed_json,
         address_ct sealed_json,
         loyalty_number_ct sealed_json,
         created_at timestamptz NOT NULL,
         updated_at timestamptz NOT NULL,
         erased_at timestamptz
       )`,
      `CREATE TABLE vault_lookups (
         kind text NOT NULL CHECK (kind IN ('loyalty', 'email', 'payment-method')),
         digest text NOT NULL,
         account_id uuid NOT NULL REFERENCES vault_accounts (account_id),
         PRIMARY KEY (kind, digest)
       )`,
      'CREATE INDEX vault_lookups_by_account ON vault_lookups (account_id)',
      // method_digest is cleared when the account is erased (NULLs never collide in UNIQUE).
      `CREATE TABLE vault_payment_methods (
         id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         account_id uuid NOT NULL REFERENCES vault_accounts (account_id),
         method_digest text,
         method_ref_ct sealed_json NOT NULL,
         added_at timestamptz NOT NULL,
         UNIQUE (account_id, method_digest)
       )`,
    ],
  },
];

/** Arbitrary constant: the first half of the advisory-lock key that serialises migrations. */
const LOCK_CLASS = 0x766c7420; // 'vlt '

/**
 * Applies the steps the database has not recorded, in one transaction, under an advisory lock so
 * concurrent openers queue. A step recorded that this code does not know means a newer version
 * migrated the database; running on it is refused. Returns the ids applied now.
 */
export async function migrateVault(
  client: SqlClient,
  migrations: readonly VaultMigration[] = VAULT_MIGRATIONS,
): Promise<number[]> {
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext(COALESCE(current_schema(), '')))`, [
      LOCK_CLASS,
    ]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS vault_schema_migrations (
         id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows = await tx.query<{ id: number }>('SELECT id FROM vault_schema_migrations');
    const done = new Set(rows.map((r) => Number(r.id)));
    const unknown = [...done].filter((id) => !migrations.some((m) => m.id === id));
    if (unknown.length > 0) {
      throw vaultFailure(
        'vault-schema-newer',
        `the vault was migrated by a newer fleetplane (steps ${unknown.join(', ')}); upgrade this one`,
      );
    }
    const applied: number[] = [];
    for (const step of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(step.id)) continue;
      for (const statement of step.statements) await tx.query(statement);
      await tx.query('INSERT INTO vault_schema_migrations (id, name) VALUES ($1, $2)', [
        step.id,
        step.name,
      ]);
      applied.push(step.id);
    }
    return applied;
  });
}
