import type { Scan } from '../api/types.js';

export interface BasketLine {
  readonly barcode: string;
  readonly sku: string | null;
  readonly quantity: number;
  readonly priceCents: number | null;
  /** Scans of this item whose weight did not match. */
  readonly mismatches: number;
}

/**
 * The basket a session's scans add up to, in the order items first went in: adds and removes
 * netted per barcode, lines that went back to zero left out. The last known price counts.
 */
export function basketOf(scans: readonly Scan[]): BasketLine[] {
  const lines = new Map<
    string,
    { sku: string | null; quantity: number; priceCents: number | null; mismatches: number }
  >();
  const ordered = [...scans].sort((a, b) => a.scanSeq - b.scanSeq || a.counter - b.counter);
  for (const scan of ordered) {
    const line = lines.get(scan.barcode) ?? {
      sku: null,
      quantity: 0,
      priceCents: null,
      mismatches: 0,
    };
    line.quantity += scan.action === 'remove' ? -scan.quantity : scan.quantity;
    line.sku = scan.sku ?? line.sku;
    line.priceCents = scan.priceCents ?? line.priceCents;
    if (scan.weightCheck === 'mismatch') line.mismatches++;
    lines.set(scan.barcode, line);
  }
  return [...lines.entries()]
    .filter(([, line]) => line.quantity > 0)
    .map(([barcode, line]) => ({ barcode, ...line }));
}

export function basketTotal(lines: readonly BasketLine[]): number {
  return lines.reduce((sum, line) => sum + (line.priceCents ?? 0) * line.quantity, 0);
}
