import type { Cart } from '../api/types.js';
import { batteryLevel, type Level } from '../format/format.js';
import { Badge } from '../ui/widgets.js';

/** How a cart reads at a glance: out of service, faulted, low battery, offline, or its state. */
export function cartLevel(cart: Cart): Level {
  if (cart.maintenance.outOfService) return 'warn';
  if (cart.lastFault && cart.lastFault.severity !== 'info') return 'bad';
  const battery = batteryLevel(cart.batteryPct);
  if (battery !== 'good' && battery !== 'unknown') return battery;
  if (!cart.connected) return 'unknown';
  return 'good';
}

export function cartStateText(cart: Cart): string {
  if (cart.maintenance.outOfService) {
    return `Out of service${cart.maintenance.reason ? ` (${cart.maintenance.reason})` : ''}`;
  }
  const state = cart.state ?? 'unknown';
  return cart.connected ? state : `${state}, offline`;
}

export function CartState({ cart }: { cart: Cart }) {
  return <Badge level={cartLevel(cart)}>{cartStateText(cart)}</Badge>;
}
