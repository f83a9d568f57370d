import Type, { type Static } from 'typebox';
import { deviceEnvelope, SessionId } from '../envelope.js';
import { SealedCredential } from './sealed-credential.js';

/**
 * A customer identified themselves to the session with a loyalty card, a payment card (an opaque
 * token from the EMV module) or a one-time app code. The credential travels sealed to the
 * identity service, bound to this device, session and method, so telemetry never holds it and a
 * sealed credential replayed into another session does not open.
 */
export const Identify = Type.Object(
  {
    ...deviceEnvelope('identify'),
    session_id: SessionId,
    method: Type.Enum(['loyalty', 'payment-token', 'app-code']),
    credential: SealedCredential,
  },
  { additionalProperties: false },
);
export type Identify = Static<typeof Identify>;
