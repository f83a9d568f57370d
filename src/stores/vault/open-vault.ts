import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openPgliteVaultStore, vaultDir } from './pglite-vault-store.js';
import { openPostgresVaultStore } from './postgres-vault-store.js';
import type { VaultStore } from './vault-store.js';
import { VaultOnUse } from './vault-on-use.js';
import { REGIONS, type Region } from './vault-types.js';

export interface VaultOptions {
  /** The data directory: each region's embedded vault is DIR/vault/<region>/. */
  readonly dataDir: string;
  /** A PostgreSQL database per region; a region without one uses its embedded PGlite. */
  readonly urls?: Partial<Record<Region, string>>;
  /** Schema per region on its server; tests isolate runs with it. */
  readonly schemas?: Partial<Record<Region, string>>;
  /** Only these regions (default: all). */
  readonly only?: readonly Region[];
}

/**
 * Opens and migrates every region's vault: a separate database each, so one region's data can
 * never be read through the other's connection. Each database is claimed for its region on first
 * open, so swapped URLs are refused. Any failure closes what was already opened.
 */
export async function openVaults(options: VaultOptions): Promise<Map<Region, VaultStore>> {
  const vaults = new Map<Region, VaultStore>();
  try {
    for (const region of options.only ?? REGIONS) {
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

/**
 * Every region's vault as in `openVaults`, but an embedded (PGlite) region opens only when first
 * used; a PostgreSQL region opens now, so that a swapped or unreachable URL stops the start.
 */
export async function openVaultsOnUse(options: VaultOptions): Promise<Map<Region, VaultStore>> {
  const eager = await openVaults({
    ...options,
    urls: options.urls ?? {},
    only: REGIONS.filter((region) => options.urls?.[region] !== undefined),
  });
  const vaults = new Map<Region, VaultStore>();
  for (const region of REGIONS) {
    const dir = vaultDir(options.dataDir, region);
    vaults.set(
      region,
      eager.get(region) ??
        new VaultOnUse(
          region,
          () => openPgliteVaultStore(dir, region),
          () => !existsSync(join(dir, 'PG_VERSION')),
        ),
    );
  }
  return vaults;
}
