import { Failure } from '../failure.js';
export type PaymentGatewayErrorCode = 'payment-unavailable' | 'payment-refused';
export class PaymentGatewayFailure extends Failure<PaymentGatewayErrorCode> {}
export interface CaptureRequest {
  readonly sessionId: string;
  readonly authToken: string;
  readonly amountCents: number;
  readonly currency: string;
}
export interface CaptureResult {
  readonly status: 'captured' | 'declined' | 'amount-mismatch';
  readonly paymentRef: string;
  readonly capturedCents: number;
}
/** The platform's only way into the payment service (its own process and trust zone). */
export interface PaymentGateway {
  resolveMethod(
    paymentToken: string,
  ): Promise<{ readonly methodRef: string; readonly firstSeen: boolean }>;
  /** Idempotent per session: the same request again answers the same result. */
  capture(request: CaptureRequest): Promise<CaptureResult>;
  close(): Promise<void>;
}
