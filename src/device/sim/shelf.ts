import {
  MAX_CART_CATALOG_ITEMS,
  type CatalogEntry,
  type CatalogSnapshot,
} from '../../contract/index.js';
import type { ItemInHand } from '../cart/cart.js';
import { mulberry32, type Random } from '../random.js';
import type { Symbology } from '../cart/scanner.js';

/** A product on the store's shelves: what the catalog says and what the item really weighs. */
export interface Product extends ItemInHand {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  /** Grams; the catalog's expected weight, also the item's real weight. */
  readonly weightG: number;
  /** Relative chance a customer picks it (Zipf by rank). */
  readonly popularity: number;
  readonly symbology: Symbology;
}

const NAMES = ['Milk', 'Bread', 'Apples', 'Coffee', 'Pasta', 'Rice', 'Cheese', 'Yoghurt', 'Eggs'];
const KINDS = ['organic', 'value', 'family pack', 'fresh', 'classic', 'light', 'local'];

/** The EAN-13 check digit of 12 digits. */
export function ean13(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return `${first12}${(10 - (sum % 10)) % 10}`;
}

/**
 * A store's shelves: `size` products ranked by popularity (Zipf, s = 1), so the cart's
 * top-2,000 cache answers most scans and the long tail beyond it misses.
 */
export class Shelf {
  readonly products: readonly Product[];
  readonly #cumulative: number[];

  constructor(size = 2400, seed = 42) {
    const random = mulberry32(seed);
    const products: Product[] = [];
    for (let rank = 1; rank <= size; rank++) {
      const name = `${NAMES[rank % NAMES.length]} ${KINDS[Math.floor(random() * KINDS.length)]}`;
      products.push({
        barcode: ean13(`40${String(rank).padStart(10, '0')}`),
        symbology: rank % 17 === 0 ? 'data-matrix' : 'ean-13',
        sku: `SKU-${String(rank).padStart(5, '0')}`,
        name,
        priceCents: 49 + Math.floor(random() * 1500),
        weightG: 50 + Math.floor(random() * 1950),
        popularity: 1 / rank,
      });
    }
    this.products = products;
    let sum = 0;
    this.#cumulative = products.map((p) => (sum += p.popularity));
  }

  /** A product by popularity. */
  pick(random: Random): Product {
    const total = this.#cumulative.at(-1) ?? 0;
    const x = random() * total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.products[lo]!;
  }

  /** A product the cart's cache does not hold (beyond the top 2,000), when the shelf has one. */
  pickUncached(random: Random): Product | undefined {
    const tail = this.products.slice(MAX_CART_CATALOG_ITEMS);
    return tail.length ? tail[Math.floor(random() * tail.length)] : undefined;
  }

  entry(product: Product): CatalogEntry {
    return {
      sku: product.sku,
      barcode: product.barcode,
      name: product.name,
      price_cents: product.priceCents,
      weight_g: product.weightG,
    };
  }

  /** The top-2,000 snapshot a device API would serve for the store. */
  catalog(storeId: string, version = 'shelf-1'): CatalogSnapshot {
    return {
      schema_version: 1,
      type: 'catalog',
      store_id: storeId,
      version,
      generated_at: '2026-11-23T06:00:00.000Z',
      items: this.products.slice(0, MAX_CART_CATALOG_ITEMS).map((p) => this.entry(p)),
    };
  }
}
