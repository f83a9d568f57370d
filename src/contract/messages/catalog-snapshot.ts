import Type, { type Static } from 'typebox';
import { STORE_ID_PATTERN } from '../ids.js';
import { MAX_CART_CATALOG_ITEMS } from '../limits.js';
import { Timestamp } from '../envelope.js';

export const CatalogEntry = Type.Object(
  {
    sku: Type.String({ pattern: '^[A-Za-z0-9._-]{1,40}$' }),
    barcode: Type.String({ pattern: '^[\\u001D!-~]{1,80}$' }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    price_cents: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    weight_g: Type.Optional(Type.Integer({ minimum: 0, maximum: 30000 })),
  },
  { additionalProperties: false },
);
export type CatalogEntry = Static<typeof CatalogEntry>;

/**
 * What a cart caches so its display shows name and price without a cloud round trip: its store's
 * most-scanned items, at most MAX_CART_CATALOG_ITEMS. Served by the device API over mutual TLS at
 * DEVICE_API_PATHS.catalog; `version` is also the response's ETag, so an unchanged catalog costs
 * one 304.
 */
export const CatalogSnapshot = Type.Object(
  {
    schema_version: Type.Literal(1),
    type: Type.Literal('catalog'),
    store_id: Type.String({ pattern: STORE_ID_PATTERN }),
    version: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    generated_at: Timestamp,
    items: Type.Array(CatalogEntry, { maxItems: MAX_CART_CATALOG_ITEMS }),
  },
  { additionalProperties: false },
);
export type CatalogSnapshot = Static<typeof CatalogSnapshot>;
