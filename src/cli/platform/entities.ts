import type { EntityStore } from '../../entities/entity-store.js';
import { openEntityStore } from '../../entities/open-entity-store.js';
import type { PlatformConfig } from '../../platform/platform-config.js';

/** The entity store the configuration asks for: PGlite under DIR, or PostgreSQL by URL. */
export function openEntities(config: PlatformConfig): Promise<EntityStore> {
  return openEntityStore({
    dataDir: config.dataDir,
    ...(config.entityUrl !== undefined ? { url: config.entityUrl } : {}),
  });
}
