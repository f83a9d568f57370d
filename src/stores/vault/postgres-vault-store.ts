import { isFailure } from '../../shared/failure.js';
import { openPostgresClient } from '../entities/sql/postgres-client.js';
import { SqlVaultStore } from './sql-vault-store.js';
import { vaultFailure } from './vault-errors.js';
import type { Region } from './vault-types.js';

export interface PostgresVaultOptions {
  /** postgres://… of this region's own database (never the entity store's). */
  readonly url: string;
  readonly region: Region;
  /** Schema to work in (created if missing); tests isolate runs with it. */
  readonly schema?: string;
}

/** A region's vault on a PostgreSQL server, through a `pg` pool. Not migrated: openVaults does. */
export async function openPostgresVaultStore(
  options: PostgresVaultOptions,
): Promise<SqlVaultStore> {
  if (!/^postgres(ql)?:\/\//.test(options.url)) {
    // The text may hold a password: do not echo it.
    throw vaultFailure(
      'invalid-vault-url',
      `the ${options.region} vault URL must start with postgres://`,
    );
  }
  try {
    const client = await openPostgresClient({ url: options.url, schema: options.schema });
    return new SqlVaultStore(client, options.region);
  } catch (error) {
    // The shared client speaks in the entity store's codes; vault callers match on the vault's.
    throw vaultFailure(
      isFailure(error) && error.code === 'invalid-entity-url'
        ? 'invalid-vault-url'
        : 'vault-unavailable',
      error instanceof Error ? error.message : String(error),
      error,
    );
  }
}
