import type { SessionLine } from '../../contract/index.js';

/** One entry of a pre-shop list as the display shows it. */
export interface ListMark {
  readonly sku: string;
  /** The basket holds the item: scanned here, or carried over from another cart. */
  readonly done: boolean;
}

/**
 * The customer's pre-shop list (SKUs from attach-customer) against the basket. Derived from the
 * basket each time rather than ticked off per scan, so a removal unticks and carried lines
 * count. The list itself lives in RAM with the customer (CustomerInRam) and goes with them.
 */
export function markList(
  list: readonly string[] | undefined,
  lines: readonly SessionLine[],
): ListMark[] {
  if (!list?.length) return [];
  const held = new Set(lines.filter((l) => l.quantity > 0 && l.sku).map((l) => l.sku));
  return list.map((sku) => ({ sku, done: held.has(sku) }));
}
