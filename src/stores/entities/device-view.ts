import type { DeviceClass } from '../../contract/index.js';
import type { DeviceView } from './entity-store.js';
import { toIsoOrNull, toNumberOrNull, toStringOrNull } from './sql/values.js';

export const DEVICE_VIEW_COLUMNS = `device_id, store_id, device_class, connected, last_seen_at,
  firmware_version, battery_pct, battery_mv, charging, link, rssi_dbm, state, maintenance,
  lat, lon, active_session_id, last_counter`;

export function toDeviceView(row: Record<string, unknown>): DeviceView {
  const lat = toNumberOrNull(row['lat']);
  const lon = toNumberOrNull(row['lon']);
  const charging = row['charging'];
  return {
    deviceId: String(row['device_id']),
    storeId: String(row['store_id']),
    deviceClass: row['device_class'] as DeviceClass,
    connected: row['connected'] === true,
    lastSeenAt: toIsoOrNull(row['last_seen_at']),
    firmwareVersion: toStringOrNull(row['firmware_version']),
    batteryPct: toNumberOrNull(row['battery_pct']),
    batteryMv: toNumberOrNull(row['battery_mv']),
    charging: typeof charging === 'boolean' ? charging : null,
    link: toStringOrNull(row['link']),
    rssiDbm: toNumberOrNull(row['rssi_dbm']),
    state: toStringOrNull(row['state']),
    maintenance: row['maintenance'] === true,
    location: lat !== null && lon !== null ? { lat, lon } : null,
    activeSessionId: toStringOrNull(row['active_session_id']),
    lastCounter: toNumberOrNull(row['last_counter']),
  };
}
