import type { Migration } from './migration.js';

/**
 * Issue 6, staff tablet and ops console (decision 019).
 *
 * - cart_maintenance: the out-of-service flag staff set on a cart (cleaning, charging, repair),
 *   apart from devices.maintenance, which is what the cart itself reports. A cleared flag keeps
 *   its row with a null reason, so `desired_version` keeps counting: every change is published to
 *   the cart as a shadow-desired document of a higher version.
 * - proximity_nonces: every proximity proof nonce the staff API accepted, so a proof is good once
 *   even across restarts and processes. Rows are pruned once their proof could no longer pass the
 *   expiry check anyway.
 * - stores_by_region: the ops console filters carts by region.
 */
export const staffOps: Migration = {
  id: 7,
  name: 'staff-ops',
  statements: [
    `CREATE TABLE cart_maintenance (
       device_id text PRIMARY KEY REFERENCES devices (device_id),
       reason text CHECK (reason IN ('cleaning', 'charging', 'repair')),
       note text,
       set_by text NOT NULL,
       set_at timestamptz NOT NULL,
       desired_version bigint NOT NULL DEFAULT 1
     )`,
    `CREATE TABLE proximity_nonces (
       device_id text NOT NULL,
       nonce text NOT NULL,
       expires_at timestamptz NOT NULL,
       accepted_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (device_id, nonce)
     )`,
    'CREATE INDEX proximity_nonces_by_expiry ON proximity_nonces (expires_at)',
    'CREATE INDEX stores_by_region ON stores (region, store_id)',
  ],
};
