import { toIso, toIsoOrNull, toNumber, toNumberOrNull, toStringOrNull } from '../sql/values.js';

/** Why staff took a cart out of service. */
export const MAINTENANCE_REASONS = ['cleaning', 'charging', 'repair'] as const;
export type MaintenanceReason = (typeof MAINTENANCE_REASONS)[number];

/** Where a cart last said it was: the cart's position, never a person's. */
export interface CartPosition {
  readonly lat: number;
  readonly lon: number;
  readonly accuracyM: number | null;
  readonly source: string | null;
  /** The cart's clock when it took the fix. */
  readonly at: string | null;
}

/** The out-of-service flag staff set on a cart, as it stands. */
export interface CartMaintenance {
  /** Null once staff cleared it. */
  readonly reason: MaintenanceReason | null;
  readonly note: string | null;
  /** Role and token subject of who set or cleared it, e.g. `staff:anna`. */
  readonly setBy: string;
  readonly setAt: string;
  /** The shadow-desired version that carried this change to the cart. */
  readonly desiredVersion: number;
}

export interface CartFault {
  readonly code: string;
  readonly severity: string;
  readonly at: string;
}

/** A cart as the staff tablet and the ops console see it. */
export interface CartView {
  readonly deviceId: string;
  readonly storeId: string;
  readonly region: string | null;
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
  readonly state: string | null;
  readonly batteryPct: number | null;
  readonly batteryMv: number | null;
  readonly charging: boolean | null;
  readonly link: string | null;
  readonly rssiDbm: number | null;
  readonly firmwareVersion: string | null;
  readonly position: CartPosition | null;
  /** The cart reports it is in maintenance mode (its own state or its shadow). */
  readonly reportedMaintenance: boolean;
  /** The staff flag; null when never set (a cleared flag has a null reason). */
  readonly maintenance: CartMaintenance | null;
  readonly activeSessionId: string | null;
  readonly lastFault: CartFault | null;
}

/** Every cart of the fleet, by device id, filtered; null parameters switch a filter off. */
export interface CartQuery {
  readonly storeId?: string;
  readonly region?: string;
  readonly firmware?: string;
  /** Battery strictly below this percentage (carts that never reported are left out). */
  readonly batteryBelow?: number;
  readonly limit: number;
  /** The last device id of the previous page. */
  readonly after?: string;
}

export interface CartPage {
  readonly carts: CartView[];
  /** The device id to pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
}

/** What staff ask for: a reason takes the cart out of service, null puts it back. */
export interface MaintenanceChange {
  readonly reason: MaintenanceReason | null;
  readonly note: string | null;
  readonly setBy: string;
  /** ms since epoch. */
  readonly at: number;
}

export const CART_VIEW_FROM = `SELECT d.device_id, d.store_id, s.region, d.connected, d.last_seen_at,
  d.state, d.battery_pct, d.battery_mv, d.charging, d.link, d.rssi_dbm, d.firmware_version,
  d.lat, d.lon, d.location_accuracy_m, d.location_source, d.location_at, d.maintenance,
  m.reason AS m_reason, m.note AS m_note, m.set_by AS m_set_by, m.set_at AS m_set_at,
  m.desired_version AS m_version, d.active_session_id, d.last_fault_code, d.last_fault_severity,
  d.last_fault_at
FROM devices d
JOIN stores s ON s.store_id = d.store_id
LEFT JOIN cart_maintenance m ON m.device_id = d.device_id`;

export function toCartView(row: Record<string, unknown>): CartView {
  const lat = toNumberOrNull(row['lat']);
  const lon = toNumberOrNull(row['lon']);
  const charging = row['charging'];
  const faultCode = toStringOrNull(row['last_fault_code']);
  return {
    deviceId: String(row['device_id']),
    storeId: String(row['store_id']),
    region: toStringOrNull(row['region']),
    connected: row['connected'] === true,
    lastSeenAt: toIsoOrNull(row['last_seen_at']),
    state: toStringOrNull(row['state']),
    batteryPct: toNumberOrNull(row['battery_pct']),
    batteryMv: toNumberOrNull(row['battery_mv']),
    charging: typeof charging === 'boolean' ? charging : null,
    link: toStringOrNull(row['link']),
    rssiDbm: toNumberOrNull(row['rssi_dbm']),
    firmwareVersion: toStringOrNull(row['firmware_version']),
    position:
      lat !== null && lon !== null
        ? {
            lat,
            lon,
            accuracyM: toNumberOrNull(row['location_accuracy_m']),
            source: toStringOrNull(row['location_source']),
            at: toIsoOrNull(row['location_at']),
          }
        : null,
    reportedMaintenance: row['maintenance'] === true,
    maintenance:
      row['m_set_by'] === null || row['m_set_by'] === undefined ? null : toMaintenance(row),
    activeSessionId: toStringOrNull(row['active_session_id']),
    lastFault:
      faultCode === null
        ? null
        : {
            code: faultCode,
            severity: String(row['last_fault_severity']),
            at: toIso(row['last_fault_at']),
          },
  };
}

/** Reads the m_-prefixed columns (CART_VIEW_FROM, and setMaintenance's RETURNING). */
export function toMaintenance(row: Record<string, unknown>): CartMaintenance {
  return {
    reason: toStringOrNull(row['m_reason']) as MaintenanceReason | null,
    note: toStringOrNull(row['m_note']),
    setBy: String(row['m_set_by']),
    setAt: toIso(row['m_set_at']),
    desiredVersion: toNumber(row['m_version']),
  };
}
