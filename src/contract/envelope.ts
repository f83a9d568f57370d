import Type from 'typebox';
import { DEVICE_ID_PATTERN } from './ids.js';
import { MAX_COUNTER, SCHEMA_VERSION } from './limits.js';

// Patterns use only bracket classes such as [0-9], never \d: POSIX and embedded regex engines
// that firmware teams validate with do not all know \d.

/** RFC 3339 in UTC with exactly three fractional digits, e.g. 2026-11-23T09:15:02.123Z. */
export const TIMESTAMP_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';
/** A lowercase RFC 4122 UUID (devices generate version 4). */
export const UUID_PATTERN =
  '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
/** A semantic version as firmware reports it, e.g. 2.4.1 or 2.5.0-rc.1. */
export const SEMVER_PATTERN = '^[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,6}(-[0-9A-Za-z.-]{1,32})?$';
/** A short machine-readable code: never free text, so never PII. */
export const CODE_PATTERN = '^[a-z0-9][a-z0-9_.:-]{0,63}$';

export const SchemaVersion = Type.Literal(SCHEMA_VERSION, {
  description: 'Version of the message schema the device speaks.',
});
export const DeviceIdField = Type.String({
  pattern: DEVICE_ID_PATTERN,
  description: "The device's id: its factory serial, the CN of its certificate.",
});
export const Counter = Type.Integer({
  minimum: 0,
  maximum: MAX_COUNTER,
  description:
    'Monotonic per device, survives reboots; the cloud deduplicates on (device_id, counter).',
});
export const Timestamp = Type.String({
  pattern: TIMESTAMP_PATTERN,
  description: 'RFC 3339 UTC with milliseconds.',
});
export const DeviceTimestamp = Type.String({
  pattern: TIMESTAMP_PATTERN,
  description: "The device's own clock when the event happened (RFC 3339 UTC, milliseconds).",
});
export const SessionId = Type.String({ pattern: UUID_PATTERN, description: 'Session UUID.' });
export const Uuid = Type.String({ pattern: UUID_PATTERN });
export const FirmwareVersion = Type.String({ pattern: SEMVER_PATTERN });
export const Code = Type.String({ pattern: CODE_PATTERN });
export const Percent = Type.Number({ minimum: 0, maximum: 100 });

/** The fields every device-to-cloud message starts with. */
export function deviceEnvelope<T extends string>(type: T) {
  return {
    schema_version: SchemaVersion,
    device_id: DeviceIdField,
    type: Type.Literal(type),
    counter: Counter,
    ts: DeviceTimestamp,
  };
}

/** The fields every cloud-to-device document starts with (no counter: the cloud does not sign). */
export function cloudEnvelope<T extends string>(type: T) {
  return {
    schema_version: SchemaVersion,
    device_id: DeviceIdField,
    type: Type.Literal(type),
    ts: Timestamp,
  };
}

export const Location = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    accuracy_m: Type.Number({ minimum: 0, maximum: 100000 }),
    source: Type.Enum(['indoor', 'gnss', 'cell']),
  },
  {
    additionalProperties: false,
    description: "Where the device is (the device's, never a person's).",
  },
);
