import type { CatalogItem } from '../entity-store.js';
import type { SqlExecutor } from '../sql/sql-client.js';
import { toNumberOrNull, toStringOrNull } from '../sql/values.js';

// Popularity counts items added to baskets (a removal is the same item going back, not demand).
// Scans are reached through the store's sessions (sessions_by_store_page, then scans_by_session),
// so the busiest table needs no index of its own for this. A scan names its sku when the cart's
// cache knew it, otherwise only its barcode; both are matched. Items without a barcode are left
// out: the cart looks items up by barcode.
const TOP_ITEMS_SQL = `
WITH added AS (
  SELECT sc.sku, sc.barcode
  FROM sessions se JOIN scans sc ON sc.session_id = se.session_id
  WHERE se.store_id = $1 AND se.started_at >= $2::timestamptz - interval '1 day'
    AND sc.scanned_at >= $2::timestamptz AND sc.action = 'add'
), counts AS (
  SELECT i.sku, count(*) AS n
  FROM added a JOIN items i ON i.store_id = $1
    AND (i.sku = a.sku OR (a.sku IS NULL AND i.barcode = a.barcode))
  GROUP BY i.sku
)
SELECT i.sku, i.barcode, i.name, i.price_cents, i.weight_g, i.category
FROM items i LEFT JOIN counts c ON c.sku = i.sku
WHERE i.store_id = $1 AND i.barcode IS NOT NULL
ORDER BY COALESCE(c.n, 0) DESC, i.sku
LIMIT $3`;

export async function listTopCatalogItems(
  db: SqlExecutor,
  storeId: string,
  options: { readonly since: number; readonly limit: number },
): Promise<CatalogItem[]> {
  const rows = await db.query(TOP_ITEMS_SQL, [
    storeId,
    new Date(options.since).toISOString(),
    options.limit,
  ]);
  return rows.map(toCatalogItem);
}

export function toCatalogItem(row: Record<string, unknown>): CatalogItem {
  const barcode = toStringOrNull(row['barcode']);
  const weightG = toNumberOrNull(row['weight_g']);
  const category = toStringOrNull(row['category']);
  return {
    sku: String(row['sku']),
    name: String(row['name']),
    priceCents: Number(row['price_cents']),
    ...(barcode !== null ? { barcode } : {}),
    ...(weightG !== null ? { weightG } : {}),
    ...(category !== null ? { category } : {}),
  };
}
