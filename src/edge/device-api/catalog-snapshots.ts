import { createHash } from 'node:crypto';
import {
  MAX_CART_CATALOG_ITEMS,
  SCHEMA_VERSION,
  validateDocument,
  type CatalogEntry,
  type CatalogSnapshot,
} from '../../contract/index.js';
import type { CatalogItem, EntityStore } from '../../stores/entities/entity-store.js';

/** "Top" means most added to baskets in the store over this window (decision 013). */
export const CATALOG_WINDOW_MS = 30 * 86_400_000;
/** The ranking reads a month of scans; carts syncing in a burst share one computation. */
export const DEFAULT_CATALOG_CACHE_MS = 5 * 60_000;

const MAX_NAME = 120;

/**
 * The CatalogSnapshot each store's carts cache, computed at most once per `cacheMs` per store
 * (the ranking by scans drifts slowly) and again at once after the store's catalog is written
 * (`changed`). Its version is a hash of what the cart would store (store id and items, not the
 * time it was made), so a recomputation that changes nothing keeps the version and the cart gets
 * a 304.
 */
export class CatalogSnapshots {
  readonly #cache = new Map<string, { at: number; snapshot: Promise<CatalogSnapshot> }>();

  constructor(
    private readonly entities: Pick<EntityStore, 'listTopCatalogItems'>,
    private readonly now: () => number = Date.now,
    private readonly cacheMs = DEFAULT_CATALOG_CACHE_MS,
  ) {}

  forStore(storeId: string): Promise<CatalogSnapshot> {
    const at = this.now();
    const hit = this.#cache.get(storeId);
    if (hit && at - hit.at < this.cacheMs) return hit.snapshot;
    const snapshot = this.#build(storeId, at);
    this.#cache.set(storeId, { at, snapshot });
    // A failure is not cached: the next cart asks again.
    snapshot.catch(() => this.#cache.delete(storeId));
    return snapshot;
  }

  /**
   * The store's catalog was written: the snapshot is built again now, so its version (the ETag)
   * names what the store sells from this moment, not up to `cacheMs` later.
   */
  changed(storeId: string): Promise<CatalogSnapshot> {
    this.#cache.delete(storeId);
    return this.forStore(storeId);
  }

  async #build(storeId: string, at: number): Promise<CatalogSnapshot> {
    const items = await this.entities.listTopCatalogItems(storeId, {
      since: at - CATALOG_WINDOW_MS,
      limit: MAX_CART_CATALOG_ITEMS,
    });
    const entries = items.flatMap(toEntry);
    const snapshot: CatalogSnapshot = {
      schema_version: SCHEMA_VERSION,
      type: 'catalog',
      store_id: storeId,
      version: catalogVersion(storeId, entries),
      generated_at: new Date(at).toISOString(),
      items: entries,
    };
    const checked = validateDocument<CatalogSnapshot>('catalog', snapshot);
    if (!checked.ok)
      throw new Error(`catalog snapshot does not match the contract: ${checked.detail}`);
    return snapshot;
  }
}

/** A stable hash of the snapshot's content: 32 hex digits. */
export function catalogVersion(storeId: string, entries: readonly CatalogEntry[]): string {
  return createHash('sha256')
    .update(JSON.stringify([storeId, entries]))
    .digest('hex')
    .slice(0, 32);
}

/** An item as the cart caches it; the import allows longer names than a display shows. */
function toEntry(item: CatalogItem): CatalogEntry[] {
  if (item.barcode === undefined) return [];
  const name = Array.from(item.name);
  return [
    {
      sku: item.sku,
      barcode: item.barcode,
      name: name.length > MAX_NAME ? name.slice(0, MAX_NAME).join('') : item.name,
      price_cents: item.priceCents,
      ...(item.weightG !== undefined ? { weight_g: item.weightG } : {}),
    },
  ];
}
