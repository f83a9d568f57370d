import { request } from 'node:https';
import {
  DEVICE_API_PATHS,
  MAX_CART_CATALOG_ITEMS,
  type CatalogEntry,
  type CatalogSnapshot,
} from '../../contract/index.js';
import type { DeviceCredentials } from '../link/device-link.js';
import { SoftwareKeystore } from '../secure-element/software-keystore.js';
import type { Flash } from './flash.js';

/** What a catalog request came back with. */
export type CatalogFetch =
  | { readonly status: 'not-modified' }
  | { readonly status: 'ok'; readonly snapshot: CatalogSnapshot };

/** Gets the store's catalog snapshot; `cachedVersion` goes out as If-None-Match. */
export interface CatalogFetcher {
  fetch(cachedVersion: string | undefined): Promise<CatalogFetch>;
}

/**
 * The device API's catalog over HTTPS with the cart's own certificate (mutual TLS), trusting
 * only the fleet's roots, as the broker connection does.
 */
export function httpsCatalogFetcher(
  deviceApiUrl: string,
  credentials: DeviceCredentials,
  timeoutMs = 10_000,
): CatalogFetcher {
  const element = credentials.secureElement;
  if (!(element instanceof SoftwareKeystore)) {
    throw new Error('TLS with a hardware secure element needs an engine or provider (not yet)');
  }
  const key = element.exportTlsKeyPem();
  const url = new URL(DEVICE_API_PATHS.catalog, deviceApiUrl);
  return {
    fetch: (cachedVersion) =>
      new Promise<CatalogFetch>((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'GET',
            key,
            cert: credentials.certChainPem,
            ca: credentials.trustPem,
            rejectUnauthorized: true,
            timeout: timeoutMs,
            headers: {
              accept: 'application/json',
              ...(cachedVersion ? { 'if-none-match': `"${cachedVersion}"` } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              if (res.statusCode === 304) return resolve({ status: 'not-modified' });
              if (res.statusCode !== 200) {
                return reject(new Error(`catalog: HTTP ${res.statusCode ?? '?'}`));
              }
              try {
                const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                resolve({ status: 'ok', snapshot: snapshot as CatalogSnapshot });
              } catch (error) {
                reject(error instanceof Error ? error : new Error(String(error)));
              }
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('catalog: timed out')));
        req.on('error', reject);
        req.end();
      }),
  };
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
