import type { CatalogItem } from '../entity-store.js';
import type { SqlClient, SqlExecutor } from '../sql/sql-client.js';
import { toCatalogItem } from './top-items.js';

/** Rows per catalog statement: one array per column, so this only bounds statement memory. */
const CATALOG_CHUNK = 5000;

/** A store's POS items, inserted or updated in chunks in one transaction; returns rows changed. */
export async function upsertCatalogItems(
  client: SqlClient,
  storeId: string,
  items: readonly CatalogItem[],
): Promise<number> {
  if (items.length === 0) return 0;
  return client.transaction(async (tx) => {
    await tx.query('INSERT INTO stores (store_id) VALUES ($1) ON CONFLICT DO NOTHING', [storeId]);
    let changed = 0;
    for (let i = 0; i < items.length; i += CATALOG_CHUNK) {
      const chunk = items.slice(i, i + CATALOG_CHUNK);
      const rows = await tx.query(
        `INSERT INTO items AS i (store_id, sku, barcode, name, price_cents, weight_g, category)
         SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int4[], $6::int4[],
           $7::text[])
         ON CONFLICT (store_id, sku) DO UPDATE SET barcode = EXCLUDED.barcode,
           name = EXCLUDED.name, price_cents = EXCLUDED.price_cents,
           weight_g = EXCLUDED.weight_g, category = EXCLUDED.category, updated_at = now()
         WHERE (i.barcode, i.name, i.price_cents, i.weight_g, i.category) IS DISTINCT FROM
           (EXCLUDED.barcode, EXCLUDED.name, EXCLUDED.price_cents, EXCLUDED.weight_g,
            EXCLUDED.category)
         RETURNING 1`,
        [
          storeId,
          chunk.map((x) => x.sku),
          chunk.map((x) => x.barcode ?? null),
          chunk.map((x) => x.name),
          chunk.map((x) => x.priceCents),
          chunk.map((x) => x.weightG ?? null),
          chunk.map((x) => x.category ?? null),
        ],
      );
      changed += rows.length;
    }
    return changed;
  });
}

export async function listCatalogItems(
  client: SqlExecutor,
  storeId: string,
): Promise<CatalogItem[]> {
  const rows = await client.query(
    `SELECT sku, barcode, name, price_cents, weight_g, category FROM items
     WHERE store_id = $1 ORDER BY sku`,
    [storeId],
  );
  return rows.map(toCatalogItem);
}
