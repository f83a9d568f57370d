import { MAINTENANCE_REASONS, type CartView } from '../../stores/entities/entity-store.js';

/** Below this a link is weak: WiFi and LTE-M both start dropping packets around here. */
export const WEAK_SIGNAL_DBM = -80;

export interface FleetStatus {
  readonly storeId: string;
  readonly carts: number;
  /** By the state each cart last reported; 'unknown' for carts that never did. */
  readonly byState: Record<string, number>;
  readonly connected: number;
  readonly battery: {
    readonly below20: number;
    /** 20 to 50 %, both included. */
    readonly from20to50: number;
    readonly above50: number;
    readonly unknown: number;
  };
  /** Firmware versions, most carts first; null is a cart that never reported one. */
  readonly firmware: { readonly version: string | null; readonly carts: number }[];
  /** Carts whose last RSSI is below WEAK_SIGNAL_DBM. */
  readonly weakSignal: number;
  readonly maintenance: {
    /** Carts out of service by a staff flag, or reporting maintenance mode themselves. */
    readonly total: number;
    /** Staff flags by reason; 'reported-by-cart' for carts in maintenance with no staff flag. */
    readonly byReason: Record<string, number>;
  };
}

/** Aggregates a store's carts as the locator lists them. */
export function fleetStatus(storeId: string, carts: readonly CartView[]): FleetStatus {
  const byState: Record<string, number> = {};
  const firmware = new Map<string | null, number>();
  const byReason: Record<string, number> = Object.fromEntries(
    [...MAINTENANCE_REASONS, 'reported-by-cart'].map((r) => [r, 0]),
  );
  const battery = { below20: 0, from20to50: 0, above50: 0, unknown: 0 };
  let connected = 0;
  let weakSignal = 0;
  let inMaintenance = 0;
  for (const cart of carts) {
    const state = cart.state ?? 'unknown';
    byState[state] = (byState[state] ?? 0) + 1;
    if (cart.connected) connected++;
    const pct = cart.batteryPct;
    if (pct === null) battery.unknown++;
    else if (pct < 20) battery.below20++;
    else if (pct <= 50) battery.from20to50++;
    else battery.above50++;
    firmware.set(cart.firmwareVersion, (firmware.get(cart.firmwareVersion) ?? 0) + 1);
    if (cart.rssiDbm !== null && cart.rssiDbm < WEAK_SIGNAL_DBM) weakSignal++;
    const reason =
      cart.maintenance?.reason ?? (cart.reportedMaintenance ? 'reported-by-cart' : null);
    if (reason !== null) {
      inMaintenance++;
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
  }
  return {
    storeId,
    carts: carts.length,
    byState,
    connected,
    battery,
    firmware: [...firmware.entries()]
      .map(([version, n]) => ({ version, carts: n }))
      .sort((a, b) => b.carts - a.carts || String(a.version).localeCompare(String(b.version))),
    weakSignal,
    maintenance: { total: inMaintenance, byReason },
  };
}
