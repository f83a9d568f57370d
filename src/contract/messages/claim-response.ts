import Type, { type Static } from 'typebox';
import { CLAIM_REFUSAL_REASON_CODES } from '../claim/claim-reasons.js';
import { DEVICE_CLASSES, STORE_ID_PATTERN } from '../ids.js';
import { DeviceIdField, SchemaVersion, Timestamp, Uuid } from '../envelope.js';
import { MAX_DETAIL_LENGTH } from '../limits.js';

const Pem = Type.String({ minLength: 1, maxLength: 16384 });

/**
 * The platform's answer on claim/<serial>/response: the device's certificate chain and the roots
 * to trust (`issued`), or a closed reason (`refused`). Both echo the request's nonce.
 */
export const ClaimResponse = Type.Object(
  {
    schema_version: SchemaVersion,
    type: Type.Literal('claim-response'),
    serial: DeviceIdField,
    nonce: Type.Optional(Uuid),
    ts: Timestamp,
    outcome: Type.Enum(['issued', 'refused']),
    certificate_pem: Type.Optional(Pem),
    chain_pem: Type.Optional(Pem),
    trust_pem: Type.Optional(Pem),
    device_class: Type.Optional(Type.Enum([...DEVICE_CLASSES])),
    store_id: Type.Optional(Type.String({ pattern: STORE_ID_PATTERN })),
    reason: Type.Optional(Type.Enum([...CLAIM_REFUSAL_REASON_CODES])),
    detail: Type.Optional(Type.String({ maxLength: MAX_DETAIL_LENGTH })),
  },
  { additionalProperties: false },
);
export type ClaimResponse = Static<typeof ClaimResponse>;
