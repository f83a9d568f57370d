import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SignedReceipt } from '../../domain/checkout/receipts.js';
import type { CheckoutRecord } from '../../stores/entities/entity-store.js';
import type { ApiDeps } from './api-deps.js';
import { notFound } from './api-errors.js';
import { authenticate, requireRole } from './auth.js';
import { errors } from './schemas.js';
import { sessionParams } from './session-schemas.js';

const signedReceipt = {
  type: 'object',
  properties: {
    receipt: {
      type: 'object',
      properties: {
        receipt_id: { type: 'string' },
        session_id: { type: 'string' },
        store_id: { type: 'string' },
        device_id: { type: 'string' },
        customer: {
          type: ['string', 'null'],
          description: "The account's random customer id; null for a guest.",
        },
        lines: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              barcode: { type: 'string' },
              sku: { type: 'string' },
              quantity: { type: 'integer' },
              price_cents: { type: 'integer' },
            },
            required: ['barcode', 'quantity'],
          },
        },
        total_cents: { type: 'integer' },
        paid_cents: { type: 'integer' },
        currency: { type: 'string' },
        payment_ref: { type: 'string' },
        issued_at: { type: 'string' },
      },
    },
    signature: {
      type: 'string',
      description:
        'Ed25519 over the canonical JSON (sorted keys, no spaces) of `receipt`, base64url.',
    },
    key_id: { type: 'string' },
  },
  required: ['receipt', 'signature', 'key_id'],
} as const;

/**
 * Signed receipts: by session (ops, and staff of the session's store) and by receipt id (the id a
 * cart shows the customer; the same roles for now, a customer's own app once customer tokens are
 * bound to an account), and the public key anyone can verify them with.
 */
export function registerReceiptRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);

  async function visibleReceipt(
    checkout: CheckoutRecord | undefined,
    request: FastifyRequest,
    what: string,
  ): Promise<SignedReceipt> {
    if (!checkout?.receiptId) throw notFound(`no receipt for ${what}`);
    requireRole(request, ['ops', 'staff'], checkout.storeId);
    const receipt = await deps.receipts.read(checkout.storeId, checkout.sessionId);
    if (!receipt) throw notFound(`receipt ${checkout.receiptId} is not in the blob store`);
    return receipt;
  }

  app.get(
    '/v1/receipts/public-key',
    {
      schema: {
        summary: 'The public key receipts are signed with (PEM, SPKI, Ed25519)',
        tags: ['receipts'],
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      reply.type('application/x-pem-file');
      reply.header('x-key-id', deps.receipts.signer.keyId);
      return deps.receipts.signer.publicKeyPem();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/sessions/:id/receipt',
    {
      onRequest,
      schema: {
        summary: "A paid session's signed receipt",
        tags: ['sessions', 'receipts'],
        security,
        params: sessionParams,
        response: { 200: signedReceipt, ...errors },
      },
    },
    async (request) => {
      const sessionId = request.params.id.toLowerCase();
      requireRole(request, ['ops', 'staff']);
      const checkout = await deps.entities.getCheckout({ sessionId });
      return visibleReceipt(checkout, request, `session ${sessionId}`);
    },
  );

  app.get<{ Params: { receiptId: string } }>(
    '/v1/receipts/:receiptId',
    {
      onRequest,
      schema: {
        summary: 'A signed receipt by its id',
        tags: ['receipts'],
        security,
        params: {
          type: 'object',
          properties: { receiptId: { type: 'string', pattern: '^rcpt_[a-f0-9]{32}$' } },
          required: ['receiptId'],
        },
        response: { 200: signedReceipt, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['ops', 'staff']);
      const checkout = await deps.entities.getCheckout({ receiptId: request.params.receiptId });
      return visibleReceipt(checkout, request, request.params.receiptId);
    },
  );
}
