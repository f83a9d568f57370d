import { openPgliteVaultStore, vaultDir } from './pglite-vault-store.js';
import { openPostgresVaultStore } from './postgres-vault-store.js';
import type { VaultStore } from './vault-store.js';
import { REGIONS, type Region } from './vault-types.js';

export interface VaultOptions {
  /** The data directory: each region's embedded vault is DIR/vault/<region>/. */
  readonly dataDir: string;
  /** A PostgreSQL database per region; a region without one uses its embedded PGlite. */
  readonly urls?: Partial<Record<Region, string>>;
  /** Schema per region on its server; tests isolate runs with it. */
  readonly schemas?: Partial<Record<Region, string>>;
}

/**
 * Opens and migrates every region's vault: a separate database each, so one region's data can
 * never be read through the other's connection. Each database is claimed for its region on first
 * open, so swapped URLs are refused. Any failure closes what was already opened.
 */
export async function openVaults(options: VaultOptions): Promise<Map<Region, VaultStore>> {
  const vaults = new Map<Region, VaultStore>();
  try {
    for (const region of REGIONS) {
      const url = options.urls?.[region];
      const store =
        url === undefined
          ? await openPgliteVaultStore(vaultDir(options.dataDir, region), region)
          : await openPostgresVaultStore({ url, region, schema: options.schemas?.[region] });
      vaults.set(region, store);
      await store.migrate();
    }
  } catch (error) {
    await Promise.all([...vaults.values()].map((v) => v.close().catch(() => undefined)));
    throw error;
  }
  return vaults;
}
