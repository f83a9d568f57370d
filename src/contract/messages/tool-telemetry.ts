import Type, { type Static } from 'typebox';
import { deviceEnvelope, Location, Percent } from '../envelope.js';
import { SealedCredential } from './sealed-credential.js';

/**
 * A connected power tool's usage report. Who held the tool is personal data: it travels only
 * sealed to the platform's seal key (see sealing/credential-seal.ts, bound by toolOperatorAad),
 * so the broker, the telemetry store and the dead letters carry ciphertext, never the id.
 */
export const ToolTelemetry = Type.Object(
  {
    ...deviceEnvelope('tool-telemetry'),
    mode: Type.Enum(['idle', 'drill', 'drive', 'torque', 'hammer']),
    torque_nm: Type.Number({ minimum: 0, maximum: 2000 }),
    rpm: Type.Integer({ minimum: 0, maximum: 50000 }),
    usage_minutes: Type.Number({ minimum: 0, maximum: 1440 }),
    battery_pct: Percent,
    motor_temp_c: Type.Number({ minimum: -40, maximum: 200 }),
    error_code: Type.Optional(Type.String({ pattern: '^[A-Z0-9_-]{1,32}$' })),
    cycles: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100000,
        description: 'Trigger cycles (start to stop of the motor) since the previous report.',
      }),
    ),
    operator: Type.Optional(SealedCredential),
    job_site_id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })),
    location: Type.Optional(Location),
  },
  { additionalProperties: false },
);
export type ToolTelemetry = Static<typeof ToolTelemetry>;
