import { SCHEMA_VERSION, type CheckoutResult } from '../../contract/index.js';
import type { CheckoutRecord, EntityStore, ScanView } from '../../stores/entities/entity-store.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import type { PaymentGateway } from '../payment-bridge/payment-gateway.js';
import { checkBasket } from './basket-check.js';
import { CheckoutFailure } from './errors.js';
import { decidePayment } from './payment-decision.js';
import { buildReceipt } from './receipt.js';
import type { Receipts } from './receipts.js';

export interface ReconcilerOptions {
  readonly entities: Pick<
    EntityStore,
    'getCheckout' | 'getSessionEnd' | 'getSession' | 'listSessionScans' | 'recordCheckout'
  >;
  readonly receipts: Pick<Receipts, 'issue'>;
  /** Absent: every checkout waits as payment-unavailable until a gateway is configured. */
  readonly gateway?: PaymentGateway;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now?: () => number;
  /** First retry delay after payment-unavailable; doubles per attempt up to `retryMaxMs`. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

export const DEFAULT_RETRY_BASE_MS = 15_000;
export const DEFAULT_RETRY_MAX_MS = 15 * 60_000;

/**
 * Reconciles a session's checkout (decision 018): the session-end as the entity store holds it,
 * compared with the session's scans, its terminal authorization captured through the payment
 * service, a signed receipt when paid, and the outcome recorded once. Every path (the device's
 * POST, a session-end that came over MQTT, a retry) runs this, so all answer the same:
 *
 * - a final outcome is returned as stored, without asking the payment service again;
 * - payment-unavailable is recorded with a retry time and reconciled again later;
 * - two reconciliations of one session in this process share one run; across processes the
 *   payment service's capture is idempotent per session and the first final row stands.
 */
export class Reconciler {
  readonly #now: () => number;
  readonly #running = new Map<string, Promise<CheckoutResult>>();

  constructor(private readonly options: ReconcilerOptions) {
    this.#now = options.now ?? Date.now;
  }

  reconcile(sessionId: string): Promise<CheckoutResult> {
    let run = this.#running.get(sessionId);
    if (!run) {
      run = this.#reconcile(sessionId).finally(() => this.#running.delete(sessionId));
      this.#running.set(sessionId, run);
    }
    return run;
  }

  async #reconcile(sessionId: string): Promise<CheckoutResult> {
    const { entities, receipts, gateway, metrics, log } = this.options;
    const previous = await entities.getCheckout({ sessionId });
    if (previous && previous.outcome !== 'payment-unavailable') return toCheckoutResult(previous);
    const end = await entities.getSessionEnd(sessionId);
    if (!end) throw new CheckoutFailure('session-not-ended', `session ${sessionId} has not ended`);

    const basket = checkBasket(end, await this.#scans(sessionId));
    const decision = await decidePayment(end, gateway, log);
    const at = this.#now();
    let receiptId: string | null = null;
    if (decision.outcome === 'paid') {
      // The receipt first: a crash before the row leaves a receipt that the next
      // reconciliation rewrites under the same key, never a paid row without a receipt.
      const receipt = buildReceipt(
        end,
        { paidCents: decision.paidCents!, paymentRef: decision.paymentRef! },
        at,
      );
      receiptId = (await receipts.issue(receipt)).receipt.receipt_id;
    }
    const attempt = (previous?.attempts ?? 0) + 1;
    const record = await entities.recordCheckout({
      sessionId,
      deviceId: end.deviceId,
      storeId: end.storeId,
      counter: end.counter,
      outcome: decision.outcome,
      paidCents: decision.paidCents,
      paymentRef: decision.paymentRef,
      receiptId,
      reason: decision.reason ?? basket ?? null,
      reconciledAt: new Date(at).toISOString(),
      retryAt:
        decision.outcome === 'payment-unavailable'
          ? new Date(at + this.#retryDelay(attempt)).toISOString()
          : null,
    });
    metrics.checkouts.inc({ outcome: record.outcome });
    log.info(
      {
        session_id: sessionId,
        device_id: end.deviceId,
        store_id: end.storeId,
        outcome: record.outcome,
        reason: record.reason,
        payment_ref: record.paymentRef,
        attempts: record.attempts,
      },
      'checkout reconciled',
    );
    return toCheckoutResult(record);
  }

  /** The session's scans, and those of the transferred sessions it continued (battery swaps). */
  async #scans(sessionId: string): Promise<ScanView[]> {
    const { entities } = this.options;
    const session = await entities.getSession(sessionId);
    const ids = [sessionId, ...(session?.mergedFrom ?? [])];
    return (await Promise.all(ids.map((id) => entities.listSessionScans(id)))).flat();
  }

  #retryDelay(attempt: number): number {
    const base = this.options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    const max = this.options.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    return Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
  }
}

/** The contract's answer for a recorded checkout. */
export function toCheckoutResult(record: CheckoutRecord): CheckoutResult {
  return {
    schema_version: SCHEMA_VERSION,
    type: 'checkout-result',
    session_id: record.sessionId,
    counter: record.counter,
    outcome: record.outcome,
    ...(record.paidCents !== null ? { paid_cents: record.paidCents } : {}),
    ...(record.receiptId !== null ? { receipt_id: record.receiptId } : {}),
    ...(record.reason !== null ? { reason: record.reason } : {}),
    reconciled_at: record.reconciledAt,
  };
}
