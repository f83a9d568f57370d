import type { Cart, FleetStatus } from '../api/types.js';
import { batteryLevel, formatAgo, formatPct, formatSignal, humanize } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useNow } from '../ui/use-live.js';
import { Badge, Stats } from '../ui/widgets.js';
import { CartState } from './cart-status.js';

export function FleetSummary({
  status,
  carts,
}: {
  status: FleetStatus;
  carts: readonly Cart[] | undefined;
}) {
  const low = status.battery?.['below20'] ?? 0;
  // A cart is in use while it has a session; the state a cart last reported in its health (active
  // or paused) lags a session that just started.
  const inUse =
    carts?.filter((c) => c.activeSessionId !== null).length ??
    (status.byState?.['active'] ?? 0) + (status.byState?.['paused'] ?? 0);
  return (
    <Stats
      label="Store fleet status"
      items={[
        ['Carts', status.carts],
        ['Connected', status.connected ?? '—'],
        ['In use', inUse],
        ['Battery below 20 %', low],
        ['Weak signal', status.weakSignal ?? 0],
        ['Out of service', status.maintenance?.total ?? 0],
      ]}
    />
  );
}

/** Every cart as a large tap target, the ones needing attention first. */
export function CartList({ carts }: { carts: readonly Cart[] }) {
  const now = useNow();
  if (carts.length === 0) return <p>This store has no carts yet.</p>;
  const sorted = [...carts].sort(
    (a, b) => rank(a) - rank(b) || a.deviceId.localeCompare(b.deviceId),
  );
  return (
    <section aria-labelledby="carts-title">
      <h2 id="carts-title">Carts</h2>
      <ul class="cart-list" data-testid="cart-list">
        {sorted.map((cart) => (
          <li key={cart.deviceId}>
            <a class="cart-card" href={hashOf('cart', cart.deviceId)} data-device={cart.deviceId}>
              <span class="spread">
                <strong>{cart.deviceId}</strong>
                <CartState cart={cart} />
              </span>
              <span class="small row">
                <Badge level={batteryLevel(cart.batteryPct)}>
                  Battery {formatPct(cart.batteryPct)}
                  {cart.charging ? ', charging' : ''}
                </Badge>
                <span>Signal {formatSignal(cart.rssiDbm)}</span>
              </span>
              <span class="small muted" style={{ display: 'block' }}>
                Last seen {formatAgo(cart.lastSeenAt, now)}
                {cart.activeSessionId ? ' · session in progress' : ''}
                {cart.lastFault ? ` · fault ${humanize(cart.lastFault.code)}` : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function rank(cart: Cart): number {
  if (cart.lastFault) return 0;
  if ((cart.batteryPct ?? 100) < 20) return 1;
  if (cart.maintenance.outOfService) return 2;
  if (cart.activeSessionId) return 3;
  return 4;
}
