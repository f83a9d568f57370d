import type { FastifyInstance, FastifyRequest } from 'fastify';
import { STORE_ID_PATTERN } from '../../contract/index.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, forbidden, unavailable } from './api-errors.js';
import { auditActor, authenticate, requireFresh, requireRole } from './auth.js';
import { callerOf, customerError } from './privacy-routes.js';
import { errors } from './schemas.js';

const SKU = '^[A-Za-z0-9._-]{1,40}$';

/**
 * The customer app: a customer token's subject is the account's random customer id, and every
 * route answers about that account only. Pairing to a cart, pre-shop lists, history and receipts,
 * and the customer's own data export and deletion.
 */
export function registerCustomerRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);
  const customers = () => {
    if (!deps.customers) throw unavailable('this platform runs without the PII vault');
    return deps.customers;
  };
  const me = async (request: FastifyRequest) => {
    const principal = requireRole(request, ['customer']);
    const account = await deps.entities.getAccount(principal.subject);
    if (!account || account.deletedAt !== null) {
      throw forbidden('this token names no live account');
    }
    return { principal, account };
  };

  app.post(
    '/v1/me/pairing-code',
    {
      onRequest,
      schema: {
        summary: 'A one-time code to pair with a cart: show it as a QR code to the cart scanner',
        tags: ['customer'],
        security,
        response: { ...errors },
      },
    },
    async (request) => {
      const { account } = await me(request);
      const { code, expiresAt } = await customers().identity.issueAppCode(account.customerId);
      return { code, qr: code, expires_at: expiresAt };
    },
  );

  app.get(
    '/v1/me/sessions',
    {
      onRequest,
      schema: {
        summary:
          'Shopping history with receipt ids: the sessions linked to this account, newest first',
        tags: ['customer'],
        security,
        response: { ...errors },
      },
    },
    async (request) => {
      const { account } = await me(request);
      const sessions = await deps.entities.listAccountSessions(account.customerId);
      const receipts = await Promise.all(
        sessions.map(
          async (s) =>
            (await deps.entities.getCheckout({ sessionId: s.sessionId }))?.receiptId ?? null,
        ),
      );
      return {
        sessions: sessions.map((s, i) => ({
          receipt_id: receipts[i],
          session_id: s.sessionId,
          store_id: s.storeId,
          status: s.status,
          started_at: s.startedAt,
          ended_at: s.endedAt,
          item_count: s.itemCount,
          total_cents: s.totalCents,
          currency: s.currency,
          paid: s.payment?.status === 'authorized',
        })),
      };
    },
  );

  app.get<{ Params: { store: string } }>(
    '/v1/me/lists/:store',
    {
      onRequest,
      schema: {
        summary: 'The pre-shop list for a store: the cart marks these SKUs as they are scanned',
        tags: ['customer'],
        security,
        params: storeParams,
        response: { ...errors },
      },
    },
    async (request) => {
      const { account } = await me(request);
      return {
        skus: await deps.entities.getShoppingList(account.customerId, request.params.store),
      };
    },
  );

  app.put<{ Params: { store: string }; Body: { skus: string[] } }>(
    '/v1/me/lists/:store',
    {
      onRequest,
      schema: {
        summary: 'Replace the pre-shop list for a store',
        tags: ['customer'],
        security,
        params: storeParams,
        body: {
          type: 'object',
          required: ['skus'],
          additionalProperties: false,
          properties: {
            skus: {
              type: 'array',
              maxItems: 100,
              uniqueItems: true,
              items: { type: 'string', pattern: SKU },
            },
          },
        },
        response: { ...errors },
      },
    },
    async (request) => {
      const { account } = await me(request);
      if (!(await deps.storeExists(request.params.store))) {
        throw new ApiError(404, 'not-found', `no store ${request.params.store}`);
      }
      await deps.entities.putShoppingList(
        account.customerId,
        request.params.store,
        request.body.skus,
      );
      return { skus: request.body.skus };
    },
  );

  app.get(
    '/v1/me/cards',
    {
      onRequest,
      schema: {
        summary: 'My loyalty card (last four digits) and the payment cards I registered',
        tags: ['customer'],
        security,
        response: { ...errors },
      },
    },
    async (request) => {
      const { principal, account } = await me(request);
      const wallet = await customers().wallet(account.customerId, auditActor(principal));
      return {
        loyalty_cards: wallet.loyaltyCards,
        payment_methods: wallet.paymentMethods.map((m) => ({
          method_ref: m.methodRef,
          added_at: m.addedAt,
        })),
      };
    },
  );

  app.get<{ Params: { receiptId: string } }>(
    '/v1/me/receipts/:receiptId',
    {
      onRequest,
      schema: {
        summary:
          'One of my receipts, signed by the platform (GET /v1/receipts/public-key verifies)',
        tags: ['customer'],
        security,
        params: {
          type: 'object',
          required: ['receiptId'],
          properties: { receiptId: { type: 'string', pattern: '^rcpt_[a-f0-9]{32}$' } },
        },
        response: { ...errors },
      },
    },
    async (request) => {
      const { account } = await me(request);
      const checkout = await deps.entities.getCheckout({ receiptId: request.params.receiptId });
      const session = checkout && (await deps.entities.getSession(checkout.sessionId));
      // Someone else's receipt is answered exactly like one that does not exist.
      if (!checkout || session?.accountId !== account.customerId) {
        throw new ApiError(404, 'not-found', `no receipt ${request.params.receiptId}`);
      }
      const receipt = await deps.receipts.read(checkout.storeId, checkout.sessionId);
      if (!receipt) throw new ApiError(404, 'not-found', `no receipt ${request.params.receiptId}`);
      return receipt;
    },
  );

  app.post(
    '/v1/me/export',
    {
      onRequest,
      schema: {
        summary: 'Everything the platform holds about me (a data-subject export)',
        tags: ['customer'],
        security,
        response: { ...errors },
      },
    },
    async (request) => {
      const { principal, account } = await me(request);
      try {
        return await customers().dsar.export(account.customerId, callerOf(principal));
      } catch (error) {
        return customerError(error);
      }
    },
  );

  app.delete(
    '/v1/me',
    {
      onRequest,
      schema: {
        summary: 'Delete my account: my personal data becomes unreadable (crypto-shredding)',
        description:
          'On a console session, only within 5 minutes of a passkey step-up (403 fresh-assertion-required otherwise); the account’s passkeys and sessions go with it.',
        tags: ['customer'],
        security,
        response: { ...errors },
      },
    },
    async (request) => {
      const { principal, account } = await me(request);
      requireFresh(request, deps.now?.());
      try {
        const report = await customers().dsar.delete(account.customerId, callerOf(principal));
        return { deleted: true, request_id: report.request.requestId };
      } catch (error) {
        return customerError(error);
      }
    },
  );
}

const storeParams = {
  type: 'object',
  required: ['store'],
  properties: { store: { type: 'string', pattern: STORE_ID_PATTERN } },
} as const;
