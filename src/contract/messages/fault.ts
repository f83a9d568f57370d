import Type, { type Static } from 'typebox';
import { Code, deviceEnvelope, SessionId } from '../envelope.js';

export const CART_FAULT_CODES = [
  'scanner-jam',
  'payment-failure',
  'battery-cliff',
  'exit-without-payment',
  'weight-platform-error',
  'nfc-error',
  'display-error',
  'storage-full',
  'ota-failure',
  'connectivity-lost',
] as const;

/** Something went wrong on a cart. `detail` is a code, never free text. */
export const Fault = Type.Object(
  {
    ...deviceEnvelope('fault'),
    code: Type.Enum([...CART_FAULT_CODES]),
    severity: Type.Enum(['info', 'warning', 'critical']),
    session_id: Type.Optional(SessionId),
    detail: Type.Optional(Code),
  },
  { additionalProperties: false },
);
export type Fault = Static<typeof Fault>;
