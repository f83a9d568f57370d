import { createHash } from 'node:crypto';
import type { SessionLine } from '../../contract/index.js';
import type { StoredSessionEnd } from '../../stores/entities/entity-store.js';

/**
 * A paid session's receipt. `customer` is the account's random customer id, or null for a guest:
 * never a name, an e-mail address, a loyalty number or a payment token. `payment_ref` is the
 * payment service's reference, not the terminal's authorization token.
 */
export interface Receipt {
  readonly receipt_id: string;
  readonly session_id: string;
  readonly store_id: string;
  readonly device_id: string;
  readonly customer: string | null;
  readonly lines: SessionLine[];
  readonly total_cents: number;
  readonly paid_cents: number;
  readonly currency: string;
  readonly payment_ref: string;
  readonly issued_at: string;
}

/** What the blob store holds: the receipt, an Ed25519 signature over its canonical JSON, the key. */
export interface SignedReceipt {
  readonly receipt: Receipt;
  /** base64url. */
  readonly signature: string;
  readonly key_id: string;
}

/**
 * Derived from the session id, so reconciling a session again (a retry after a crash between the
 * receipt and the checkout row) writes the same blob key and names the same receipt.
 */
export function receiptId(sessionId: string): string {
  const hash = createHash('sha256').update(`fleetplane-receipt:${sessionId}`).digest('hex');
  return `rcpt_${hash.slice(0, 32)}`;
}

export function receiptBlobKey(storeId: string, sessionId: string): string {
  return `receipts/${storeId}/${sessionId}.json`;
}

export function buildReceipt(
  end: StoredSessionEnd,
  payment: { readonly paidCents: number; readonly paymentRef: string },
  issuedAt: number,
): Receipt {
  return {
    receipt_id: receiptId(end.sessionId),
    session_id: end.sessionId,
    store_id: end.storeId,
    device_id: end.deviceId,
    customer: end.accountId,
    // Field by field: whatever else a stored line might carry stays off the receipt.
    lines: end.contents.map((line) => ({
      barcode: line.barcode,
      ...(line.sku !== undefined ? { sku: line.sku } : {}),
      quantity: line.quantity,
      ...(line.price_cents !== undefined ? { price_cents: line.price_cents } : {}),
    })),
    total_cents: end.totalCents,
    paid_cents: payment.paidCents,
    currency: end.currency,
    payment_ref: payment.paymentRef,
    issued_at: new Date(issuedAt).toISOString(),
  };
}
