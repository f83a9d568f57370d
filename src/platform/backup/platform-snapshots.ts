import type { SnapshotDatabase } from '../../surfaces/api/backup-routes.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import { pgliteDir } from '../../stores/entities/open-entity-store.js';
import { snapshotPgliteDir } from '../../stores/entities/sql/pglite-client.js';
import { vaultDir } from '../../stores/vault/pglite-vault-store.js';
import type { Region } from '../../stores/vault/vault-types.js';
import type { PlatformConfig } from '../platform-config.js';

/**
 * The running platform's copies of its embedded databases for the backup route: the entity store
 * copies itself in its worker thread (the only thread that has it open); the vaults are open, if
 * at all, in this thread. A database on PostgreSQL has none (pg_dump is its backup).
 */
export function backupSnapshots(
  config: PlatformConfig,
  entities: EntityStore,
): (database: SnapshotDatabase) => Promise<Uint8Array | undefined> {
  return async (database) => {
    if (database === 'entities') {
      if (config.entityUrl !== undefined) return undefined;
      const threaded = entities as { snapshotEmbedded?: () => Promise<Uint8Array | undefined> };
      return threaded.snapshotEmbedded
        ? threaded.snapshotEmbedded()
        : snapshotPgliteDir(pgliteDir(config.dataDir));
    }
    const region = database.slice('vault-'.length) as Region;
    if (config.vaultUrls?.[region] !== undefined) return undefined;
    return snapshotPgliteDir(vaultDir(config.dataDir, region));
  };
}
