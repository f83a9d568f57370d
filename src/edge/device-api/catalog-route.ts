import type { FastifyInstance } from 'fastify';
import { DEVICE_API_PATHS } from '../../contract/index.js';
import type { CatalogSnapshots } from './catalog-snapshots.js';
import { entityTag, matchesIfNoneMatch } from './entity-tag.js';

/**
 * GET the calling device's store catalog. The version is the ETag; a cart that sends it back in
 * If-None-Match gets 304 and keeps its cache.
 */
export function registerCatalogRoute(app: FastifyInstance, snapshots: CatalogSnapshots): void {
  app.get(DEVICE_API_PATHS.catalog, async (request, reply) => {
    const snapshot = await snapshots.forStore(request.device!.storeId);
    reply.header('etag', entityTag(snapshot.version));
    // Always revalidate: a cart asks when told to (shadow catalog_version, sync-catalog).
    reply.header('cache-control', 'private, no-cache');
    if (matchesIfNoneMatch(request.headers['if-none-match'], snapshot.version)) {
      return reply.status(304).send();
    }
    return snapshot;
  });
}
