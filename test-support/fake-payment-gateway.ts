// A deterministic stand-in for the payment service, behind the platform's PaymentGateway port.
import { createHash } from 'node:crypto';
import {
  PaymentGatewayFailure,
  type CaptureRequest,
  type CaptureResult,
  type PaymentGateway,
} from '../src/domain/payment-bridge/payment-gateway.js';

/**
 * - an auth token starting with `decl` is declined;
 * - `<x>_amt<cents>` was authorised for exactly that amount: capturing more captures what was
 *   authorised and answers `amount-mismatch`; capturing that much or less captures the request;
 * - any other token was authorised for whatever is asked.
 * `available = false` makes every call fail with payment-unavailable, as a service that is down.
 * Like the real service, a second capture for a session answers the first one's result.
 */
export class FakePaymentGateway implements PaymentGateway {
  available = true;
  /** Every capture call that reached the service, repeats included. */
  readonly calls: CaptureRequest[] = [];
  readonly #results = new Map<string, CaptureResult>();

  async resolveMethod(
    paymentToken: string,
  ): Promise<{ readonly methodRef: string; readonly firstSeen: boolean }> {
    this.#check();
    return { methodRef: `pm_${digest(paymentToken)}`, firstSeen: true };
  }

  async capture(request: CaptureRequest): Promise<CaptureResult> {
    this.#check();
    this.calls.push(request);
    const known = this.#results.get(request.sessionId);
    if (known) return known;
    const paymentRef = `pay_${digest(request.sessionId)}`;
    const authorised = /_amt([0-9]+)$/.exec(request.authToken);
    let result: CaptureResult;
    if (request.authToken.startsWith('decl')) {
      result = { status: 'declined', paymentRef, capturedCents: 0 };
    } else if (authorised && Number(authorised[1]) < request.amountCents) {
      result = { status: 'amount-mismatch', paymentRef, capturedCents: Number(authorised[1]) };
    } else {
      result = { status: 'captured', paymentRef, capturedCents: request.amountCents };
    }
    this.#results.set(request.sessionId, result);
    return result;
  }

  async close(): Promise<void> {}

  /** Captures that reached the service for this session. */
  capturesFor(sessionId: string): number {
    return this.calls.filter((c) => c.sessionId === sessionId).length;
  }

  #check(): void {
    if (!this.available) {
      throw new PaymentGatewayFailure('payment-unavailable', 'the payment service is down');
    }
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}
