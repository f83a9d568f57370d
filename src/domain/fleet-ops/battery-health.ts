import type { CartView } from '../../stores/entities/entity-store.js';

export const BATTERY_HEALTH = ['good', 'low', 'critical', 'charging', 'unknown'] as const;
export type BatteryHealth = (typeof BATTERY_HEALTH)[number];

/**
 * A deliberately simple figure from the cart's last report: the platform keeps no battery
 * history per cart, so wear (capacity against age) cannot be measured yet. `charging` wins;
 * otherwise under 10 % is critical (the cart is near its cutoff) and under 20 % low (the
 * locator's bottom bucket). Decision 019 says what a real figure would need.
 */
export function batteryHealth(cart: Pick<CartView, 'batteryPct' | 'charging'>): BatteryHealth {
  if (cart.charging === true) return 'charging';
  if (cart.batteryPct === null) return 'unknown';
  if (cart.batteryPct < 10) return 'critical';
  if (cart.batteryPct < 20) return 'low';
  return 'good';
}
