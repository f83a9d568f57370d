import type { SessionLine } from '../../../contract/index.js';

/** What the platform made of a checkout: the outcomes of the contract's CheckoutResult. */
export const CHECKOUT_OUTCOMES = [
  'paid',
  'declined',
  'amount-mismatch',
  'not-paid',
  'payment-unavailable',
] as const;
export type CheckoutOutcome = (typeof CHECKOUT_OUTCOMES)[number];

/** One session's reconciled checkout. Every outcome but payment-unavailable is final. */
export interface CheckoutRecord {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly storeId: string;
  /** The counter of the session-end that was reconciled. */
  readonly counter: number;
  readonly outcome: CheckoutOutcome;
  readonly paidCents: number | null;
  /** The payment service's reference for the capture; never the terminal's auth token. */
  readonly paymentRef: string | null;
  readonly receiptId: string | null;
  readonly reason: string | null;
  readonly reconciledAt: string;
  /** Reconciliations so far; more than one only while the payment service was unavailable. */
  readonly attempts: number;
  /** When to try again; set exactly when the outcome is payment-unavailable. */
  readonly retryAt: string | null;
}

/** A session-end as the entity store holds it: what a retry reconciles when the message is gone. */
export interface StoredSessionEnd {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly storeId: string;
  /** The session-end's counter. */
  readonly counter: number;
  readonly status: 'complete' | 'abandoned' | 'voided' | 'transferred';
  /** The random customer id of the account the session is linked to; null for a guest. */
  readonly accountId: string | null;
  readonly endedAt: string;
  readonly itemCount: number;
  readonly totalCents: number;
  readonly currency: string;
  readonly contents: SessionLine[];
  readonly weightMismatches: number;
  readonly payment: {
    readonly method: 'store-terminal' | 'none';
    readonly status: 'authorized' | 'declined' | 'deferred' | 'not-attempted';
    readonly amountCents: number;
    /** The terminal's opaque authorization token: handed to the payment service, never logged. */
    readonly authToken: string | null;
  };
}

/** A scan whose weight check failed, with what the platform measured. */
export interface WeightMismatchScan {
  readonly deviceId: string;
  readonly counter: number;
  readonly scanSeq: number;
  readonly action: 'add' | 'remove';
  readonly barcode: string;
  readonly sku: string | null;
  readonly quantity: number;
  readonly weightDeltaG: number;
  readonly expectedWeightG: number | null;
  readonly scannedAt: string;
}

/** Which sessions the checkout retry should reconcile now. */
export interface CheckoutWorkQuery {
  /** Payment-unavailable checkouts whose retry time has come (ms since epoch). */
  readonly due: number;
  /** Complete sessions without a checkout that ended in [endedAfter, endedBefore) (ms). */
  readonly endedAfter: number;
  readonly endedBefore: number;
  readonly limit: number;
}
