import type { FastifyInstance } from 'fastify';
import type { PaymentAppDeps } from './payment-app.js';
import {
  CaptureAnswer,
  CaptureBody,
  HealthAnswer,
  ResolveAnswer,
  ResolveBody,
  json,
} from './payment-schemas.js';

/** The three routes. Bodies reach a handler only after the card-data guard and validation. */
export function registerPaymentRoutes(app: FastifyInstance, deps: PaymentAppDeps): void {
  const { service, refusals } = deps;

  app.post<{ Body: ResolveBody }>(
    '/v1/payment-methods/resolve',
    { schema: { body: json(ResolveBody), response: { 200: json(ResolveAnswer) } } },
    async (request) => {
      const { methodRef, firstSeen } = await service.resolveMethod(request.body.payment_token);
      return { method_ref: methodRef, first_seen: firstSeen };
    },
  );

  app.post<{ Body: CaptureBody }>(
    '/v1/authorizations/capture',
    { schema: { body: json(CaptureBody), response: { 200: json(CaptureAnswer) } } },
    async (request) => {
      const { session_id, auth_token, amount_cents, currency } = request.body;
      const record = await service.capture({
        sessionId: session_id,
        authToken: auth_token,
        amountCents: amount_cents,
        currency,
      });
      return {
        status: record.status,
        payment_ref: record.paymentRef,
        captured_cents: record.capturedCents,
      };
    },
  );

  app.get('/v1/healthz', { schema: { response: { 200: json(HealthAnswer) } } }, async () => {
    const counts = refusals.counts;
    return {
      status: 'ok',
      refusals: { tls: counts.tls, pin: counts.pin, card_data: counts.card_data },
    };
  });
}
