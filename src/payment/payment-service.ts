import { createHash } from 'node:crypto';
import { Failure } from '../shared/failure.js';
import type { PaymentStore, CaptureRecord } from './payment-store.js';
import type { PaymentProcessor } from './processor.js';

/**
 * `conflict`: a request the service understood but will not carry out (409);
 * `processor-unavailable`: the processor did not answer (502), safe to retry.
 */
export type PaymentServiceErrorCode = 'conflict' | 'processor-unavailable';

export class PaymentServiceFailure extends Failure<PaymentServiceErrorCode> {}

export interface CaptureRequest {
  readonly sessionId: string;
  readonly authToken: string;
  readonly amountCents: number;
  readonly currency: string;
}

/**
 * What the payment service does, without HTTP: resolve a payment token to the stable reference
 * the platform keys accounts by, and capture a session's payment exactly once.
 */
export class PaymentService {
  /** Captures in flight per session, so two identical requests ask the processor once. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: PaymentStore,
    private readonly processor: PaymentProcessor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * `pm_` and 32 hex digits of a hash of the processor's card fingerprint: stable for the card,
   * in one format whatever the processor's fingerprints look like, and of no use outside this
   * service. `firstSeen` is true the first time the card's reference is handed out.
   */
  async resolveMethod(paymentToken: string): Promise<{ methodRef: string; firstSeen: boolean }> {
    const known = this.store.methodOf(paymentToken);
    if (known) return { methodRef: known, firstSeen: false };
    const fingerprint = await unavailable(() => this.processor.fingerprint(paymentToken));
    const methodRef = `pm_${sha256(`fleetplane-method-ref:${fingerprint}`).slice(0, 32)}`;
    const firstSeen = this.store.recordMethod(paymentToken, methodRef, this.now());
    return { methodRef: this.store.methodOf(paymentToken) ?? methodRef, firstSeen };
  }

  /**
   * Captures once per (session, auth token): the same request again answers the stored result;
   * the same auth token with another amount or currency, or any other auth token once the
   * session is captured, is a conflict. After a decline or an amount mismatch (nothing captured)
   * a new auth token is a new attempt: the customer paid again at the terminal.
   */
  capture(request: CaptureRequest): Promise<CaptureRecord> {
    const previous = this.#inFlight.get(request.sessionId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#capture(request));
    this.#inFlight.set(request.sessionId, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.#inFlight.get(request.sessionId) === next)
          this.#inFlight.delete(request.sessionId);
      });
    return next;
  }

  async #capture(request: CaptureRequest): Promise<CaptureRecord> {
    const { sessionId, authToken, amountCents, currency } = request;
    const attempts = this.store.attempts(sessionId);
    const same = attempts.find((a) => a.authToken === authToken);
    if (same) {
      if (same.amountCents === amountCents && same.currency === currency) return same;
      throw new PaymentServiceFailure(
        'conflict',
        `session ${sessionId} was already submitted with this auth token for ${same.amountCents} ${same.currency}`,
      );
    }
    const captured = attempts.find((a) => a.status === 'captured');
    if (captured) {
      throw new PaymentServiceFailure(
        'conflict',
        `session ${sessionId} is already captured (${captured.paymentRef}) with another auth token`,
      );
    }
    const result = await unavailable(() =>
      this.processor.capture(authToken, amountCents, currency),
    );
    const status = !result.approved
      ? 'declined'
      : result.authorizedCents === amountCents
        ? 'captured'
        : 'amount-mismatch';
    const record: CaptureRecord = {
      sessionId,
      authToken,
      amountCents,
      currency,
      status,
      // Derived, not drawn: a capture retried after a crash gets the same reference.
      paymentRef: `pay_${sha256(`fleetplane-payment-ref:${sessionId}:${authToken}`).slice(0, 24)}`,
      capturedCents: status === 'captured' ? amountCents : 0,
      processorReference: result.reference,
      createdAt: this.now().toISOString(),
    };
    this.store.recordCapture(record);
    return record;
  }
}

/** A processor error is not the caller's fault and says nothing about the request: 502. */
async function unavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new PaymentServiceFailure(
      'processor-unavailable',
      'the payment processor did not answer',
      {
        cause: error,
      },
    );
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
