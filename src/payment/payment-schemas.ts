import Type, { type Static, type TSchema } from 'typebox';

// The payment service's HTTP contract, for the bridge and nobody else. Patterns use bracket
// classes as the device contract does; the token formats are the device contract's.

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

export const ResolveBody = Type.Object(
  {
    payment_token: Type.String({
      pattern: '^tok_[A-Za-z0-9]{16,64}$',
      description: "The EMV module's opaque payment-method token.",
    }),
  },
  { additionalProperties: false },
);
export type ResolveBody = Static<typeof ResolveBody>;

export const ResolveAnswer = Type.Object(
  {
    method_ref: Type.String({ pattern: '^pm_[0-9a-f]{32}$' }),
    first_seen: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const CaptureBody = Type.Object(
  {
    session_id: Type.String({ pattern: UUID }),
    auth_token: Type.String({
      pattern: '^[A-Za-z0-9_-]{8,128}$',
      description: "The store terminal's opaque authorisation token.",
    }),
    amount_cents: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);
export type CaptureBody = Static<typeof CaptureBody>;

export const CaptureAnswer = Type.Object(
  {
    status: Type.Enum(['captured', 'declined', 'amount-mismatch']),
    payment_ref: Type.String({ pattern: '^pay_[0-9a-f]+$' }),
    captured_cents: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const ErrorAnswer = Type.Object({ error: Type.String(), message: Type.String() });

export const HealthAnswer = Type.Object({
  status: Type.Literal('ok'),
  refusals: Type.Object({
    tls: Type.Integer(),
    pin: Type.Integer(),
    card_data: Type.Integer(),
  }),
});

/** A plain JSON Schema copy for fastify's Ajv, which knows nothing of TypeBox's own keys. */
export function json(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}
