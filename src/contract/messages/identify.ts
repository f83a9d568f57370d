import Type, { type Static } from 'typebox';
import { deviceEnvelope, SessionId } from '../envelope.js';

const base = { ...deviceEnvelope('identify'), session_id: SessionId };

/**
 * A customer identified themselves to the session. Exactly one credential, none of them PII: a
 * loyalty number, an opaque token from the EMV module, or a one-time code from the app.
 */
export const Identify = Type.Union([
  Type.Object(
    {
      ...base,
      method: Type.Literal('loyalty'),
      loyalty_number: Type.String({ pattern: '^[0-9]{8,19}$' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      ...base,
      method: Type.Literal('payment-token'),
      payment_token: Type.String({ pattern: '^tok_[A-Za-z0-9]{16,64}$' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      ...base,
      method: Type.Literal('app-code'),
      app_code: Type.String({ pattern: '^[A-Z0-9]{6,12}$' }),
    },
    { additionalProperties: false },
  ),
]);
export type Identify = Static<typeof Identify>;
