import Type, { type Static } from 'typebox';
import { deviceEnvelope, Location, Percent } from '../envelope.js';

/** A cold-chain sensor reading: cargo temperature, humidity, shock and the sensor's battery. */
export const ColdchainTelemetry = Type.Object(
  {
    ...deviceEnvelope('coldchain-telemetry'),
    temperature_c: Type.Number({ minimum: -60, maximum: 90 }),
    humidity_pct: Percent,
    shock_g: Type.Number({ minimum: 0, maximum: 200 }),
    battery_pct: Percent,
    door_open: Type.Optional(Type.Boolean()),
    shipment_id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })),
    location: Type.Optional(Location),
  },
  { additionalProperties: false },
);
export type ColdchainTelemetry = Static<typeof ColdchainTelemetry>;
