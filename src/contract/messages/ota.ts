import Type, { type Static } from 'typebox';
import { cloudEnvelope, FirmwareVersion, Timestamp, Uuid } from '../envelope.js';

/**
 * The signed metadata of a firmware image. The validity window lives inside the signature, so a
 * device checks it against a server-time challenge rather than its own (possibly skewed) clock.
 */
export const OtaManifest = Type.Object(
  {
    version: FirmwareVersion,
    device_class: Type.Enum(['cart', 'coldchain', 'tool']),
    hardware_revisions: Type.Array(Type.String({ pattern: '^[A-Za-z0-9._-]{1,16}$' }), {
      minItems: 1,
      maxItems: 32,
    }),
    size: Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    issued_at: Timestamp,
    expires_at: Timestamp,
    min_version: FirmwareVersion,
    ca_generation: Type.Integer({ minimum: 1, maximum: 1000 }),
  },
  { additionalProperties: false },
);
export type OtaManifest = Static<typeof OtaManifest>;

const Base64 = (bytes: number) =>
  Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: Math.ceil(bytes / 3) * 4 });

/**
 * An OTA job for one device on jobs/<device_id>/notify. The manifest travels as the exact bytes
 * that were signed (base64), so no JSON canonicalisation is needed to verify it.
 */
export const OtaJob = Type.Object(
  {
    ...cloudEnvelope('ota-job'),
    job_id: Uuid,
    rollout_id: Uuid,
    manifest: Type.Object(
      {
        signed: Base64(4096),
        signature: Type.String({ pattern: '^[A-Za-z0-9+/]{86}==$', description: 'r||s, base64.' }),
      },
      { additionalProperties: false },
    ),
    url: Type.String({ pattern: '^https://', maxLength: 2048 }),
    url_expires_at: Timestamp,
  },
  { additionalProperties: false },
);
export type OtaJob = Static<typeof OtaJob>;
