import {
  MAX_CART_CATALOG_ITEMS,
  type CatalogEntry,
  type CatalogSnapshot,
} from '../../contract/index.js';
import type { DeviceCredentials } from '../link/device-link.js';
import { httpsDeviceApi, type CatalogFetcher } from './device-api-client.js';
import type { Flash } from './flash.js';

export type { CatalogFetch, CatalogFetcher } from './device-api-client.js';

/** The device API's catalog alone (see httpsDeviceApi, which serves every route). */
export function httpsCatalogFetcher(
  deviceApiUrl: string,
  credentials: DeviceCredentials,
  timeoutMs = 10_000,
): CatalogFetcher {
  return httpsDeviceApi(deviceApiUrl, credentials, { timeoutMs });
}

export type SyncResult = 'updated' | 'unchanged' | 'failed' | 'no-source';

/**
 * The cart's top-2,000 items, barcode → entry, kept in flash (a catalog is not PII) so a scan
 * shows name and price without a cloud round trip. A miss is not an error: the scan is still
 * recorded, and the display says the price comes at checkout.
 */
export class CatalogCache {
  #byBarcode = new Map<string, CatalogEntry>();
  #version: string | undefined;

  private constructor(
    private readonly flash: Flash,
    private readonly storeId: string,
    private readonly fetcher: CatalogFetcher | undefined,
  ) {}

  static async open(
    flash: Flash,
    storeId: string,
    fetcher?: CatalogFetcher,
  ): Promise<CatalogCache> {
    const cache = new CatalogCache(flash, storeId, fetcher);
    const stored = await flash.readCatalog();
    if (stored && stored.store_id === storeId) cache.#load(stored);
    return cache;
  }

  get version(): string | undefined {
    return this.#version;
  }

  get size(): number {
    return this.#byBarcode.size;
  }

  lookup(barcode: string): CatalogEntry | undefined {
    return this.#byBarcode.get(barcode);
  }

  /** Takes a snapshot (from the device API, or installed at the factory) and persists it. */
  async install(snapshot: CatalogSnapshot): Promise<void> {
    if (snapshot.store_id !== this.storeId) throw new Error('catalog of another store');
    const trimmed = { ...snapshot, items: snapshot.items.slice(0, MAX_CART_CATALOG_ITEMS) };
    await this.flash.writeCatalog(trimmed);
    this.#load(trimmed);
  }

  /** Asks the device API; a 304 keeps the cache, a failure keeps it too. */
  async sync(): Promise<SyncResult> {
    if (!this.fetcher) return 'no-source';
    try {
      const result = await this.fetcher.fetch(this.#version);
      if (result.status === 'not-modified') return 'unchanged';
      if (result.snapshot.version === this.#version) return 'unchanged';
      await this.install(result.snapshot);
      return 'updated';
    } catch {
      return 'failed';
    }
  }

  #load(snapshot: CatalogSnapshot): void {
    this.#byBarcode = new Map(snapshot.items.map((item) => [item.barcode, item]));
    this.#version = snapshot.version;
  }
}
