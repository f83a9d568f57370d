import type { Cart } from '../api/types.js';
import { hashOf } from '../ui/hash-route.js';
import { cartLevel, cartStateText } from './cart-status.js';

/** Positions scaled to the box the store's carts span, with a margin so pins stay inside. */
export function floorPositions(carts: readonly Cart[]): { cart: Cart; x: number; y: number }[] {
  const placed = carts.filter((c) => c.position !== null);
  if (placed.length === 0) return [];
  const lats = placed.map((c) => c.position!.lat);
  const lons = placed.map((c) => c.position!.lon);
  const [minLat, maxLat] = [Math.min(...lats), Math.max(...lats)];
  const [minLon, maxLon] = [Math.min(...lons), Math.max(...lons)];
  const scale = (v: number, lo: number, hi: number) =>
    hi === lo ? 50 : 8 + ((v - lo) / (hi - lo)) * 84;
  return placed.map((cart) => ({
    cart,
    x: scale(cart.position!.lon, minLon, maxLon),
    // North up: a larger latitude is nearer the top.
    y: 100 - scale(cart.position!.lat, minLat, maxLat),
  }));
}

/** The locator's floor: each cart where it last reported, a button to open it. */
export function FloorView({ carts }: { carts: readonly Cart[] }) {
  const pins = floorPositions(carts);
  const unplaced = carts.filter((c) => c.position === null);
  return (
    <section aria-labelledby="floor-title">
      <h2 id="floor-title">Floor</h2>
      <p class="muted small">Each cart where it last reported its position; north is up.</p>
      <div class="floor" data-testid="floor">
        {pins.map(({ cart, x, y }) => (
          <a
            key={cart.deviceId}
            class={`pin button ${cartLevel(cart)}`}
            href={hashOf('cart', cart.deviceId)}
            style={{ left: `${x}%`, top: `${y}%` }}
          >
            <span aria-hidden="true">{cart.deviceId.replace(/^[A-Za-z]+-0*/, '')}</span>
            <span class="visually-hidden">
              {cart.deviceId}: {cartStateText(cart)}
            </span>
          </a>
        ))}
      </div>
      {unplaced.length > 0 ? (
        <p class="small">
          No position yet:{' '}
          {unplaced.map((c, i) => (
            <span key={c.deviceId}>
              {i > 0 ? ', ' : ''}
              <a href={hashOf('cart', c.deviceId)}>{c.deviceId}</a>
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
