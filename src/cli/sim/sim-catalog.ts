import { Shelf } from '../../device/sim/shelf.js';

/** Items on the simulated store's shelf. */
export const SHELF_SIZE = 3000;

/** The shelf depends on the store, not the run's seed: the catalog stays put between runs. */
export function storeShelf(storeId: string): Shelf {
  let seed = 0x811c9dc5;
  for (let i = 0; i < storeId.length; i++)
    seed = Math.imul(seed ^ storeId.charCodeAt(i), 0x01000193);
  return new Shelf(SHELF_SIZE, seed >>> 0);
}

/**
 * Makes sure the store's catalog has something for the carts to cache: when it is empty, loads
 * the generated shelf through the running platform's API (PUT /v1/stores/:id/catalog, the route
 * a POS sync uses). A catalog that has items is the retailer's and is left alone; the trips then
 * scan barcodes the cart may not know, which it handles as cache misses. Returns what it did.
 */
export async function ensureCatalog(options: {
  apiUrl: string;
  token: string;
  storeId: string;
  shelf: Shelf;
  fetch?: typeof fetch;
}): Promise<string> {
  const { apiUrl, token, storeId, shelf } = options;
  const fetchImpl = options.fetch ?? fetch;
  const url = new URL(`/v1/stores/${encodeURIComponent(storeId)}/catalog`, apiUrl);
  const authorization = `Bearer ${token}`;
  const current = await fetchImpl(url, { headers: { authorization } });
  if (!current.ok)
    throw new Error(`GET ${url.pathname}: ${current.status} ${await current.text()}`);
  const { items } = (await current.json()) as { items: number };
  if (items > 0) return `catalog: ${items} items in ${storeId}; kept`;
  const put = await fetchImpl(url, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'text/csv' },
    body: shelfCsv(shelf),
  });
  if (!put.ok) throw new Error(`PUT ${url.pathname}: ${put.status} ${await put.text()}`);
  const { imported } = (await put.json()) as { imported: number };
  return `catalog: ${storeId} was empty; loaded ${imported} generated items through the API`;
}

export function shelfCsv(shelf: Shelf): string {
  const rows = shelf.products.map(
    (i) => `${i.sku},${i.barcode},"${i.name.replace(/"/g, '""')}",${i.priceCents},${i.weightG},`,
  );
  return ['sku,barcode,name,price_cents,weight_g,category', ...rows].join('\n') + '\n';
}
