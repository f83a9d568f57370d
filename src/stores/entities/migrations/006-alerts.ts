import type { Migration } from './migration.js';

/**
 * Issue 6: loss-prevention alerts for store staff (decision 018). One per (kind, session, event):
 * the device counter of the event that raised it (the session-end, the cart's fault, the scan) makes
 * a replayed projection raise nothing twice. `evidence` is what the cart measured (weights, counts,
 * totals), never who the customer is. The session is a soft reference: a cart's fault can name a
 * session whose other events have not arrived yet.
 */
export const alerts: Migration = {
  id: 6,
  name: 'alerts',
  statements: [
    `CREATE TABLE alerts (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       store_id text NOT NULL,
       device_id text NOT NULL,
       session_id uuid NOT NULL,
       counter bigint NOT NULL,
       kind text NOT NULL CHECK (kind IN ('exit-without-pay', 'weight-mismatch')),
       at timestamptz NOT NULL,
       evidence jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       UNIQUE (kind, session_id, device_id, counter)
     )`,
    'CREATE INDEX alerts_by_store ON alerts (store_id, at, id)',
  ],
};
