import type { EntityStore } from '../../entities/entity-store.js';
import type { PlatformConfig } from '../../platform/platform-config.js';
import type { PlatformLayout } from '../../platform/platform-layout.js';

/** The entity store the configuration asks for. */
export async function openEntities(
  config: PlatformConfig,
  layout: PlatformLayout,
): Promise<EntityStore> {
  void config;
  void layout;
  throw new Error('entity store not wired yet');
}
