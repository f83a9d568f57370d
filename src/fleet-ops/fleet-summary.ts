import type { CartQuery, CartView, EntityStore } from '../entities/entity-store.js';
import { fleetStatus } from '../staff/fleet-status.js';
import { BATTERY_HEALTH, batteryHealth, type BatteryHealth } from './battery-health.js';

const PAGE = 1000;

/** The fleet in numbers for the ops console: one store's fleet status, across stores. */
export interface FleetSummary {
  readonly carts: number;
  readonly connected: number;
  /** By the state each cart last reported; 'unknown' for carts that never did. */
  readonly byState: Record<string, number>;
  /** Firmware versions, most carts first; null is a cart that never reported one. */
  readonly byFirmware: { readonly version: string | null; readonly carts: number }[];
  readonly byBatteryHealth: Record<BatteryHealth, number>;
  /** Out of service: a staff flag, or the cart reports maintenance mode. */
  readonly maintenance: number;
  readonly byStore: {
    readonly storeId: string;
    readonly region: string | null;
    readonly carts: number;
    readonly connected: number;
    readonly byState: Record<string, number>;
  }[];
  readonly byRegion: {
    readonly region: string | null;
    readonly carts: number;
    readonly connected: number;
  }[];
}

/**
 * Every cart matching the filter, a page at a time. The ops console asks for the whole fleet
 * rarely (a page load, a filter change); a fleet of 100,000 carts is a hundred pages.
 */
export async function fleetCarts(
  entities: Pick<EntityStore, 'listCarts'>,
  filter: Omit<CartQuery, 'limit' | 'after'> = {},
): Promise<CartView[]> {
  const carts: CartView[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await entities.listCarts({
      ...filter,
      limit: PAGE,
      ...(after !== undefined ? { after } : {}),
    });
    carts.push(...page.carts);
    if (page.next === null) return carts;
    after = page.next;
  }
}

/** Counts carts the way a store's fleet status does, for the whole fleet and per store and region. */
export function fleetSummary(carts: readonly CartView[]): FleetSummary {
  const all = fleetStatus('', carts);
  const byBatteryHealth = Object.fromEntries(BATTERY_HEALTH.map((h) => [h, 0])) as Record<
    BatteryHealth,
    number
  >;
  const stores = new Map<string, CartView[]>();
  const regions = new Map<string | null, { carts: number; connected: number }>();
  for (const cart of carts) {
    byBatteryHealth[batteryHealth(cart)]++;
    const storeCarts = stores.get(cart.storeId);
    if (storeCarts) storeCarts.push(cart);
    else stores.set(cart.storeId, [cart]);
    const region = regions.get(cart.region) ?? { carts: 0, connected: 0 };
    region.carts++;
    if (cart.connected) region.connected++;
    regions.set(cart.region, region);
  }
  return {
    carts: all.carts,
    connected: all.connected,
    byState: all.byState,
    byFirmware: all.firmware,
    byBatteryHealth,
    maintenance: all.maintenance.total,
    byStore: [...stores.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([storeId, storeCarts]) => {
        const status = fleetStatus(storeId, storeCarts);
        return {
          storeId,
          region: storeCarts[0]?.region ?? null,
          carts: status.carts,
          connected: status.connected,
          byState: status.byState,
        };
      }),
    byRegion: [...regions.entries()]
      .sort(([a], [b]) => String(a).localeCompare(String(b)))
      .map(([region, counts]) => ({ region, ...counts })),
  };
}
