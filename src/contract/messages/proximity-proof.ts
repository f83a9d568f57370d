import Type, { type Static } from 'typebox';
import { DeviceIdField, Timestamp } from '../envelope.js';

/** How long a proximity proof is good for, at most. */
export const PROXIMITY_PROOF_MAX_AGE_MS = 60_000;

/**
 * Standing in for BLE proximity: the cart broadcasts a fresh nonce signed with its device key,
 * a staff tablet near it reads it, and the staff API accepts a session override only with a proof
 * that is fresh, for that cart, and not seen before. Signed in the wire format (body, then the
 * 64-byte signature); the tablet sends the whole frame base64url-encoded.
 */
export const ProximityProof = Type.Object(
  {
    schema_version: Type.Literal(1),
    type: Type.Literal('proximity'),
    device_id: DeviceIdField,
    /** 16 random bytes, base64url. */
    nonce: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }),
    issued_at: Timestamp,
    expires_at: Timestamp,
  },
  { additionalProperties: false },
);
export type ProximityProof = Static<typeof ProximityProof>;
