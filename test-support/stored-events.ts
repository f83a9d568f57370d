// Telemetry records as the ingest stores them, for tests that fill the telemetry store directly.
import type { TelemetryRecord } from '../src/stores/telemetry/telemetry-store.js';

/** A stored event as ingest writes it; billing and the trail read only these fields. */
export function storedEvent(
  deviceId: string,
  storeId: string,
  counter: number,
  deviceTime: number,
  type: TelemetryRecord['type'] = 'health',
  fields: Record<string, unknown> = {},
): TelemetryRecord {
  const body = JSON.stringify({ schema_version: 1, device_id: deviceId, type, counter, ...fields });
  return {
    deviceId,
    storeId,
    deviceClass: 'cart',
    type,
    counter,
    deviceTime,
    receivedAt: deviceTime + 50,
    body,
    signature: new Uint8Array(64),
  };
}
