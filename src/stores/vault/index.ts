/** The PII vault (tier 3): sealed storage per region, and the cipher that seals for it. */
export * from './field-cipher.js';
export * from './open-vault.js';
export * from './pglite-vault-store.js';
export * from './postgres-vault-store.js';
export * from './sql-vault-store.js';
export * from './vault-errors.js';
export { VAULT_MIGRATIONS, migrateVault, type VaultMigration } from './vault-migrations.js';
export type * from './vault-store.js';
export * from './vault-types.js';
