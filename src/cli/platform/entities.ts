import type { EntityStore } from '../../stores/entities/entity-store.js';
import { ThreadedEntityStore } from '../../stores/entities/thread/threaded-entity-store.js';
import type { PlatformConfig } from '../../platform/platform-config.js';

/**
 * The entity store the configuration asks for (PGlite under DIR, or PostgreSQL by URL), in a
 * worker thread of its own so that its queries never hold up the broker's event loop.
 */
export function openEntities(config: PlatformConfig): Promise<EntityStore> {
  return ThreadedEntityStore.open({
    dataDir: config.dataDir,
    ...(config.entityUrl !== undefined ? { url: config.entityUrl } : {}),
  });
}
