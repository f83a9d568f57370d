import type { CheckoutOutcome, StoredSessionEnd } from '../../stores/entities/entity-store.js';
import type { Logger } from '../../shared/observability/logger.js';
import { PaymentGatewayFailure, type PaymentGateway } from '../payment-bridge/payment-gateway.js';
import type { CheckoutReason } from './reasons.js';

export interface PaymentDecision {
  readonly outcome: CheckoutOutcome;
  /** Null while the payment service's answer is unknown. */
  readonly paidCents: number | null;
  readonly paymentRef: string | null;
  readonly reason?: CheckoutReason;
}

const NOT_PAID = (reason: CheckoutReason): PaymentDecision => ({
  outcome: 'not-paid',
  paidCents: 0,
  paymentRef: null,
  reason,
});

/**
 * What the payment service makes of the session's payment. Only an authorization of a complete
 * session reaches the service; everything else is decided from the session-end alone. The
 * terminal's auth token goes to the service and nowhere else: not into a log line, not into
 * the decision.
 */
export async function decidePayment(
  end: StoredSessionEnd,
  gateway: PaymentGateway | undefined,
  log: Logger,
): Promise<PaymentDecision> {
  if (end.status !== 'complete') return NOT_PAID('session-not-complete');
  const payment = end.payment;
  if (payment.status === 'declined') return NOT_PAID('payment-declined');
  if (payment.status === 'deferred') return NOT_PAID('payment-deferred');
  if (payment.status === 'not-attempted') return NOT_PAID('payment-not-attempted');
  if (payment.authToken === null) return NOT_PAID('no-auth-token');
  const unavailable = (reason: CheckoutReason): PaymentDecision => ({
    outcome: 'payment-unavailable',
    paidCents: null,
    paymentRef: null,
    reason,
  });
  if (!gateway) return unavailable('no-payment-service');

  let result;
  try {
    result = await gateway.capture({
      sessionId: end.sessionId,
      authToken: payment.authToken,
      amountCents: payment.amountCents,
      currency: end.currency,
    });
  } catch (error) {
    if (error instanceof PaymentGatewayFailure && error.code === 'payment-refused') {
      return { outcome: 'declined', paidCents: 0, paymentRef: null, reason: 'payment-refused' };
    }
    // Anything else (the service down, a network error, a fault in its client) may succeed
    // later: not final. The message is the client's, which must not carry the token.
    log.warn(
      { session_id: end.sessionId, err: error instanceof Error ? error.message : String(error) },
      'payment service unavailable; checkout will be retried',
    );
    return unavailable('payment-service-down');
  }

  const differs = payment.amountCents !== end.totalCents;
  switch (result.status) {
    case 'declined':
      return { outcome: 'declined', paidCents: 0, paymentRef: result.paymentRef };
    case 'amount-mismatch':
      return {
        outcome: 'amount-mismatch',
        paidCents: result.capturedCents,
        paymentRef: result.paymentRef,
        reason: differs ? 'payment-amount-differs' : 'authorised-less',
      };
    case 'captured':
      return result.capturedCents === end.totalCents
        ? { outcome: 'paid', paidCents: result.capturedCents, paymentRef: result.paymentRef }
        : {
            outcome: 'amount-mismatch',
            paidCents: result.capturedCents,
            paymentRef: result.paymentRef,
            reason: 'payment-amount-differs',
          };
  }
}
