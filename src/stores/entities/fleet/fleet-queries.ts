import type { SqlExecutor } from '../sql/sql-client.js';
import {
  CART_VIEW_FROM,
  toCartView,
  toMaintenance,
  type CartMaintenance,
  type CartPage,
  type CartQuery,
  type MaintenanceChange,
} from './cart-view.js';

// Keyset paging on device_id (the primary key): a page costs the same however deep it is, and a
// cart registered while someone pages shows up in order instead of shifting the pages.
const CARTS_SQL = `${CART_VIEW_FROM}
WHERE d.device_class = 'cart'
  AND ($1::text IS NULL OR d.store_id = $1::text)
  AND ($2::text IS NULL OR s.region = $2::text)
  AND ($3::text IS NULL OR d.firmware_version = $3::text)
  AND ($4::float8 IS NULL OR d.battery_pct < $4::float8)
  AND ($5::text IS NULL OR d.device_id > $5::text)
ORDER BY d.device_id
LIMIT $6`;

export async function listCarts(db: SqlExecutor, query: CartQuery): Promise<CartPage> {
  const rows = await db.query(CARTS_SQL, [
    query.storeId ?? null,
    query.region ?? null,
    query.firmware ?? null,
    query.batteryBelow ?? null,
    query.after ?? null,
    query.limit + 1,
  ]);
  const carts = rows.slice(0, query.limit).map(toCartView);
  const last = carts[carts.length - 1];
  return { carts, next: rows.length > query.limit && last ? last.deviceId : null };
}

/**
 * Sets or clears the staff flag; each change bumps the version of the shadow-desired document
 * that carries it to the cart. Undefined when the device is not known.
 */
export async function setMaintenance(
  db: SqlExecutor,
  deviceId: string,
  change: MaintenanceChange,
): Promise<CartMaintenance | undefined> {
  const rows = await db.query(
    `INSERT INTO cart_maintenance AS m (device_id, reason, note, set_by, set_at)
     SELECT device_id, $2::text, $3::text, $4::text, $5::timestamptz FROM devices
     WHERE device_id = $1
     ON CONFLICT (device_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note,
       set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at,
       desired_version = m.desired_version + 1
     RETURNING reason AS m_reason, note AS m_note, set_by AS m_set_by, set_at AS m_set_at,
       desired_version AS m_version`,
    [deviceId, change.reason, change.note, change.setBy, new Date(change.at).toISOString()],
  );
  return rows[0] === undefined ? undefined : toMaintenance(rows[0]);
}

/**
 * How long after its expiry a nonce is kept. The verifier refuses a proof past its expires_at
 * before it asks about the nonce, so a pruned nonce can never be replayed; the grace covers
 * processes whose clocks disagree by up to this much.
 */
export const NONCE_PRUNE_GRACE_MS = 10 * 60_000;

/**
 * Records a proximity nonce; false when (device, nonce) was accepted before. The primary key
 * decides, so two requests racing with one proof cannot both win, in one process or several.
 */
export async function acceptProximityNonce(
  db: SqlExecutor,
  deviceId: string,
  nonce: string,
  expiresAt: number,
  now: number,
): Promise<boolean> {
  await db.query('DELETE FROM proximity_nonces WHERE expires_at < $1::timestamptz', [
    new Date(now - NONCE_PRUNE_GRACE_MS).toISOString(),
  ]);
  const rows = await db.query(
    `INSERT INTO proximity_nonces (device_id, nonce, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [deviceId, nonce, new Date(expiresAt).toISOString()],
  );
  return rows.length > 0;
}
