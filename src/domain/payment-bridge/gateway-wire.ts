import {
  PaymentGatewayFailure,
  type CaptureRequest,
  type CaptureResult,
  type ResolvedMethod,
} from './payment-gateway.js';

/** One answer of the payment service: status and parsed JSON body. */
export interface WireAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Posts a JSON body to a path of the service; transport failures are `payment-unavailable`. */
export type PostJson = (path: string, body: unknown) => Promise<WireAnswer>;

export const RESOLVE_PATH = '/v1/payment-methods/resolve';
export const CAPTURE_PATH = '/v1/authorizations/capture';

// The service's wire format (snake_case) to the port's types, shared by the HTTPS gateway and the
// test double so both answer alike. Answers are checked: a 200 that is not the service's shape
// is treated as the service being unavailable, not trusted.

export async function postResolve(post: PostJson, paymentToken: string): Promise<ResolvedMethod> {
  const body = ok(await post(RESOLVE_PATH, { payment_token: paymentToken }), RESOLVE_PATH);
  const { method_ref, first_seen } = body;
  if (typeof method_ref !== 'string' || !/^pm_[0-9a-f]{32}$/.test(method_ref)) {
    throw malformed(RESOLVE_PATH);
  }
  if (typeof first_seen !== 'boolean') throw malformed(RESOLVE_PATH);
  return { methodRef: method_ref, firstSeen: first_seen };
}

export async function postCapture(post: PostJson, request: CaptureRequest): Promise<CaptureResult> {
  const answer = await post(CAPTURE_PATH, {
    session_id: request.sessionId,
    auth_token: request.authToken,
    amount_cents: request.amountCents,
    currency: request.currency,
  });
  const { status, payment_ref, captured_cents } = ok(answer, CAPTURE_PATH);
  if (
    (status !== 'captured' && status !== 'declined' && status !== 'amount-mismatch') ||
    typeof payment_ref !== 'string' ||
    !/^pay_[0-9a-f]+$/.test(payment_ref) ||
    typeof captured_cents !== 'number' ||
    !Number.isSafeInteger(captured_cents)
  ) {
    throw malformed(CAPTURE_PATH);
  }
  return { status, paymentRef: payment_ref, capturedCents: captured_cents };
}

function ok(answer: WireAnswer, path: string): Record<string, unknown> {
  const body = (
    typeof answer.body === 'object' && answer.body !== null ? answer.body : {}
  ) as Record<string, unknown>;
  if (answer.status === 200) return body;
  const code = typeof body['error'] === 'string' ? body['error'] : undefined;
  const message = typeof body['message'] === 'string' ? body['message'] : `HTTP ${answer.status}`;
  const details = { status: answer.status, ...(code ? { serviceError: code } : {}) };
  if (answer.status >= 400 && answer.status < 500) {
    return fail(new PaymentGatewayFailure('payment-refused', `${path}: ${message}`, details));
  }
  return fail(
    new PaymentGatewayFailure(
      'payment-unavailable',
      `${path}: the payment service answered ${answer.status} (${message})`,
      details,
    ),
  );
}

function fail(failure: PaymentGatewayFailure): never {
  throw failure;
}

function malformed(path: string): PaymentGatewayFailure {
  return new PaymentGatewayFailure(
    'payment-unavailable',
    `${path}: the payment service's answer is not in its format`,
  );
}
