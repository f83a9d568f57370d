import Type, { type Static } from 'typebox';
import { deviceEnvelope, SessionId } from '../envelope.js';
import { MAX_SESSION_LINES } from '../limits.js';

/** One line of a basket: what the session-end reports and a merge carries to the next cart. */
export const SessionLine = Type.Object(
  {
    barcode: Type.String({ pattern: '^[\\u001D!-~]{1,80}$' }),
    sku: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,40}$' })),
    quantity: Type.Integer({ minimum: 1, maximum: 999 }),
    price_cents: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);

const Payment = Type.Object(
  {
    method: Type.Enum(['store-terminal', 'none'], {
      description: "The cart hands payment to the store's EMV terminal; it never sees card data.",
    }),
    status: Type.Enum(['authorized', 'declined', 'not-attempted', 'deferred']),
    auth_token: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{8,128}$',
        description: 'Opaque authorization token.',
      }),
    ),
    amount_cents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  },
  { additionalProperties: false },
);

/** A session ended: its contents and the payment outcome, for the cloud to reconcile. */
export const SessionEnd = Type.Object(
  {
    ...deviceEnvelope('session-end'),
    session_id: SessionId,
    status: Type.Enum(['complete', 'abandoned', 'voided', 'transferred'], {
      description: "'transferred': the customer moved to another cart (battery cliff).",
    }),
    item_count: Type.Integer({ minimum: 0, maximum: 100000 }),
    total_cents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    contents: Type.Array(SessionLine, { maxItems: MAX_SESSION_LINES }),
    weight_mismatches: Type.Integer({ minimum: 0, maximum: 10000 }),
    payment: Payment,
  },
  { additionalProperties: false },
);
export type SessionEnd = Static<typeof SessionEnd>;
export type SessionLine = Static<typeof SessionLine>;
