import type { Scan, SessionEnd } from '../../contract/index.js';
import type { WeightMismatchScan } from '../../stores/entities/entity-store.js';

/** A scan whose weight did not match: what the platform measured against what it expected. */
export function scanEvidence(
  scan: Pick<
    WeightMismatchScan,
    'scanSeq' | 'action' | 'barcode' | 'sku' | 'quantity' | 'weightDeltaG' | 'expectedWeightG'
  >,
): Record<string, unknown> {
  return {
    scanSeq: scan.scanSeq,
    action: scan.action,
    barcode: scan.barcode,
    sku: scan.sku,
    quantity: scan.quantity,
    weightDeltaG: scan.weightDeltaG,
    expectedWeightG: scan.expectedWeightG,
    // Signed: a remove takes weight off the platform.
    offByG:
      scan.expectedWeightG === null
        ? null
        : scan.weightDeltaG - (scan.action === 'add' ? 1 : -1) * scan.expectedWeightG,
  };
}

export function fromScanMessage(scan: Scan): Parameters<typeof scanEvidence>[0] {
  return {
    scanSeq: scan.scan_seq,
    action: scan.action,
    barcode: scan.barcode,
    sku: scan.sku ?? null,
    quantity: scan.quantity,
    weightDeltaG: scan.weight_delta_g,
    expectedWeightG: scan.expected_weight_g ?? null,
  };
}

/** What a session held when the cart left without paying. Counts, money and weights only. */
export interface ExitFacts {
  readonly trigger: 'session-end' | 'fault';
  readonly itemCount: number | null;
  readonly totalCents: number | null;
  readonly currency: string | null;
  /** The session-end's own count of weight mismatches; null before the end arrived. */
  readonly weightMismatches: number | null;
  readonly paymentStatus: SessionEnd['payment']['status'] | null;
}

export function exitEvidence(
  facts: ExitFacts,
  mismatches: readonly WeightMismatchScan[],
): Record<string, unknown> {
  return { ...facts, mismatchedScans: mismatches.map(scanEvidence) };
}
