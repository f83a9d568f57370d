import Type, { type Static } from 'typebox';
import { deviceEnvelope, FirmwareVersion } from '../envelope.js';

/** Firmware came up: which slot and version, and whether the bootloader rolled back. */
export const Boot = Type.Object(
  {
    ...deviceEnvelope('boot'),
    firmware_version: FirmwareVersion,
    slot: Type.Enum(['A', 'B']),
    rolled_back: Type.Boolean({ description: 'Booted the old slot after a failed update.' }),
    previous_version: Type.Optional(FirmwareVersion),
    reset_reason: Type.Enum(['power-on', 'software', 'watchdog', 'brownout', 'ota', 'panic']),
    hardware_rev: Type.String({ pattern: '^[A-Za-z0-9._-]{1,16}$' }),
    boot_count: Type.Integer({ minimum: 0 }),
    ca_generations: Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), {
      minItems: 1,
      maxItems: 4,
      uniqueItems: true,
      description: 'Fleet root CA generations the device trusts (two during a rotation).',
    }),
  },
  { additionalProperties: false },
);
export type Boot = Static<typeof Boot>;
