import Type, { type Static } from 'typebox';
import { deviceEnvelope, FirmwareVersion, Location, Percent, SessionId } from '../envelope.js';

/** Periodic cart telemetry: every 60 s active, every 5 min idle, hourly when parked outside. */
export const Health = Type.Object(
  {
    ...deviceEnvelope('health'),
    state: Type.Enum([
      'idle',
      'active',
      'paused',
      'sleep',
      'charging',
      'maintenance',
      'parked-outside',
    ]),
    session_id: Type.Optional(SessionId),
    battery_pct: Percent,
    battery_mv: Type.Integer({
      minimum: 0,
      maximum: 10000,
      description: 'Pack voltage; cutoff 6400.',
    }),
    charging: Type.Boolean(),
    link: Type.Enum(['wifi', 'lte-m', 'none']),
    rssi_dbm: Type.Optional(Type.Integer({ minimum: -130, maximum: 0 })),
    scanner_temp_c: Type.Number({ minimum: -40, maximum: 125 }),
    weight_drift_g: Type.Number({ minimum: -2000, maximum: 2000 }),
    firmware_version: FirmwareVersion,
    uptime_s: Type.Integer({ minimum: 0 }),
    buffered: Type.Integer({ minimum: 0, description: 'Messages waiting in store-and-forward.' }),
    location: Type.Optional(Location),
  },
  { additionalProperties: false },
);
export type Health = Static<typeof Health>;
