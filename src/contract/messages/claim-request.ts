import Type, { type Static } from 'typebox';
import { DeviceIdField, SchemaVersion, Timestamp, UUID_PATTERN } from '../envelope.js';

/** Longest CSR text taken: a P-256 CSR is about 400 bytes of PEM; room for a longer subject. */
export const MAX_CSR_LENGTH = 4096;

/**
 * What a device holding a claim certificate publishes on claim/<serial>/request: its serial and
 * a CSR for the key it made (decision 044). Not signed with a device key (it has none the cloud
 * knows yet): the CSR's own signature proves the key, the claim certificate the factory.
 */
export const ClaimRequest = Type.Object(
  {
    schema_version: SchemaVersion,
    type: Type.Literal('claim-request'),
    serial: DeviceIdField,
    csr: Type.String({
      minLength: 64,
      maxLength: MAX_CSR_LENGTH,
      description: 'PKCS#10 for a P-256 key, PEM or base64 DER; its CN, if any, is the serial.',
    }),
    nonce: Type.String({
      pattern: UUID_PATTERN,
      description: 'Chosen by the device, echoed in the response to match it to this request.',
    }),
    ts: Timestamp,
  },
  { additionalProperties: false },
);
export type ClaimRequest = Static<typeof ClaimRequest>;
