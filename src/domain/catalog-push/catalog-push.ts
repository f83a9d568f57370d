import type { DeviceView } from '../../stores/entities/entity-store.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { ShadowService } from '../shadow/shadow-service.js';

/** Who the desired documents say set `catalog_version` (GET /v1/devices/:id/shadow shows it). */
export const CATALOG_PUSH_ACTOR = 'catalog';
/** Shadows written at once: a store of a thousand carts is a second's work, not a burst. */
const CONCURRENCY = 8;

export interface CatalogPushOptions {
  /** The catalogs carts fetch (the device API's): `changed` builds the store's one again. */
  readonly catalogs: { changed(storeId: string): Promise<{ readonly version: string }> };
  readonly devices: { listStoreDevices(storeId: string): Promise<readonly DeviceView[]> };
  readonly shadows: Pick<ShadowService, 'setDesired'>;
  readonly log: Pick<Logger, 'info' | 'warn'>;
  readonly now: () => number;
}

export interface CatalogPushResult {
  /** The store's catalog version now: the ETag of GET /v1/device/catalog. */
  readonly version: string;
  /** Carts whose desired shadow now names it (published retained on shadow/<id>/desired). */
  readonly carts: number;
  /** Carts whose shadow could not be written (logged); they refresh at their next boot. */
  readonly failed: number;
}

/**
 * A store's catalog changed: its carts hear of the new version within seconds instead of at
 * their next boot. The version goes into each cart's desired shadow as `catalog_version`; a cart
 * whose cache holds another version fetches the catalog after a short per-cart delay (so a
 * store's carts do not all ask in the same moment). The shadow is retained and versioned, so a
 * cart that is offline now gets it when it reconnects. See docs/protocol.md, "Catalog push".
 */
export class CatalogPush {
  constructor(private readonly options: CatalogPushOptions) {}

  async changed(storeId: string): Promise<CatalogPushResult> {
    const { version } = await this.options.catalogs.changed(storeId);
    const carts = (await this.options.devices.listStoreDevices(storeId)).filter(
      (d) => d.deviceClass === 'cart',
    );
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < carts.length) {
        const deviceId = carts[next++]!.deviceId;
        try {
          await this.options.shadows.setDesired(
            deviceId,
            { catalog_version: version },
            CATALOG_PUSH_ACTOR,
            this.options.now(),
          );
        } catch (error) {
          failed++;
          this.options.log.warn(
            { err: error, device_id: deviceId, store_id: storeId },
            'could not tell a cart of the new catalog',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, carts.length) }, worker));
    this.options.log.info(
      { store_id: storeId, catalog_version: version, carts: carts.length - failed, failed },
      'catalog version pushed to the store’s carts',
    );
    return { version, carts: carts.length - failed, failed };
  }
}
