import { Failure } from '../../shared/failure.js';

/**
 * How the platform pays: the one port to the payment service (decision 016). Card data never
 * passes through it; what crosses is the EMV module's payment token, the terminal's auth token
 * and amounts.
 *
 * - `payment-unavailable`: the service could not be reached or failed (network, TLS, 5xx, an
 *   answer that is not the service's); the same call may succeed later.
 * - `payment-refused`: the service answered 4xx; `serviceError` is its code (`bad-request`,
 *   `card-data-refused`, `conflict`) and the message is its sentence. Repeating will not help.
 */
export type PaymentGatewayErrorCode = 'payment-unavailable' | 'payment-refused';

export class PaymentGatewayFailure extends Failure<PaymentGatewayErrorCode> {
  readonly status: number | undefined;
  readonly serviceError: string | undefined;

  constructor(
    code: PaymentGatewayErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; serviceError?: string } = {},
  ) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.serviceError = options.serviceError;
  }
}

export interface ResolvedMethod {
  /** `pm_` and 32 hex digits: stable per card. The platform keys accounts by it, never by the token. */
  readonly methodRef: string;
  /**
   * The service handed out this reference for the first time. Advisory: a retried call after a
   * lost answer reports false, so the platform creates an account on its absence, not on this.
   */
  readonly firstSeen: boolean;
}

export interface CaptureRequest {
  readonly sessionId: string;
  readonly authToken: string;
  readonly amountCents: number;
  readonly currency: string;
}

export type CaptureStatus = 'captured' | 'declined' | 'amount-mismatch';

export interface CaptureResult {
  readonly status: CaptureStatus;
  /** `pay_` and hex: the service's reference for this attempt. */
  readonly paymentRef: string;
  /** What was captured: the amount when captured, 0 otherwise. */
  readonly capturedCents: number;
}

export interface PaymentGateway {
  resolveMethod(paymentToken: string): Promise<ResolvedMethod>;
  /**
   * Idempotent per session: the same request again answers the same result; another auth token
   * or amount once the session is captured fails with `payment-refused` (`conflict`).
   */
  capture(request: CaptureRequest): Promise<CaptureResult>;
  close(): Promise<void>;
}
