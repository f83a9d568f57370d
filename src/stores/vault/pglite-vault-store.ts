import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openPgliteClient } from '../entities/sql/pglite-client.js';
import { SqlVaultStore } from './sql-vault-store.js';
import type { Region } from './vault-types.js';

/** Where a region's embedded vault lives under a data directory: DIR/vault/<region>/. */
export function vaultDir(dataDir: string, region: Region): string {
  return join(resolve(dataDir), 'vault', region);
}

/**
 * A region's vault in its own PGlite database on disk. Not migrated: `openVaults` does that. One
 * instance per directory per process (see pglite-client.ts); this process must own the data
 * directory (the platform lock).
 */
export async function openPgliteVaultStore(dir: string, region: Region): Promise<SqlVaultStore> {
  // Private before PGlite writes a byte: mkdir's mode applies to every directory it creates.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return new SqlVaultStore(await openPgliteClient(dir), region);
}
