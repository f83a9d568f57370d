import Type, { type Static } from 'typebox';
import { FirmwareVersion } from '../envelope.js';

/**
 * State that must survive a reconnect (configuration, maintenance mode). The same shape is
 * desired by the cloud and reported by the device; unknown keys are refused so a typo in a
 * desired document cannot silently do nothing.
 */
export const ShadowState = Type.Object(
  {
    maintenance_mode: Type.Optional(Type.Boolean()),
    health_interval_s: Type.Optional(Type.Integer({ minimum: 10, maximum: 3600 })),
    idle_health_interval_s: Type.Optional(Type.Integer({ minimum: 60, maximum: 86400 })),
    catalog_version: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })),
    log_level: Type.Optional(Type.Enum(['error', 'warn', 'info', 'debug'])),
    firmware_version: Type.Optional(FirmwareVersion),
    report_interval_s: Type.Optional(
      Type.Integer({
        minimum: 10,
        maximum: 86400,
        description:
          'Cold-chain sensor: seconds between readings (also set by the set-interval command).',
      }),
    ),
    shipment_id: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]{1,64}$',
        description:
          'Cold-chain sensor: the shipment or asset it is bound to; its readings carry it.',
      }),
    ),
    job_site_id: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]{1,64}$',
        description: 'Connected tool: the job site it is assigned to; its reports carry it.',
      }),
    ),
    ca_generations: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), {
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        description: 'Reported only: the fleet CA generations the device trusts.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ShadowState = Static<typeof ShadowState>;
