import type { SessionLine } from '../../contract/index.js';
import type { ScanView } from '../../stores/entities/entity-store.js';
import type { CheckoutReason } from './reasons.js';

/**
 * Compares what the cart says it sold with what it scanned: the session-end's total against the
 * sum of its lines, then its lines and total against the net of the scans the platform holds
 * (adds minus removes, per barcode, at the price scanned). A difference is noted, never blocks:
 * scans still queued on a cart that was offline arrive later than its checkout.
 */
export function checkBasket(
  end: { readonly contents: readonly SessionLine[]; readonly totalCents: number },
  scans: readonly ScanView[],
): CheckoutReason | undefined {
  const linesTotal = end.contents.reduce((sum, l) => sum + l.quantity * (l.price_cents ?? 0), 0);
  if (linesTotal !== end.totalCents) return 'total-mismatch';

  const lines = new Map<string, number>();
  for (const line of end.contents) add(lines, line.barcode, line.quantity);
  const scanned = new Map<string, number>();
  let scannedTotal = 0;
  for (const scan of scans) {
    const sign = scan.action === 'add' ? 1 : -1;
    add(scanned, scan.barcode, sign * scan.quantity);
    scannedTotal += sign * scan.quantity * (scan.priceCents ?? 0);
  }
  if (scannedTotal !== end.totalCents || !sameCounts(lines, scanned)) return 'basket-mismatch';
  return undefined;
}

function add(counts: Map<string, number>, barcode: string, quantity: number): void {
  counts.set(barcode, (counts.get(barcode) ?? 0) + quantity);
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const key of keys) if ((a.get(key) ?? 0) !== (b.get(key) ?? 0)) return false;
  return true;
}
