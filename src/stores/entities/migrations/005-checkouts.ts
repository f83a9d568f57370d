import type { Migration } from './migration.js';

/**
 * Issue 6: what the platform made of each checkout (decision 018). One row per session: the first
 * final outcome stands, so a repeated POST, a replayed projection or a retry answers the same and
 * never captures twice. `payment_ref` is the payment service's reference; the terminal's auth
 * token stays in `payments` and is never copied here. `retry_at` is set only while the payment
 * service was unavailable; the retry loop reads it through the partial index.
 *
 * `sessions_completed` lets the retry loop find completed sessions that have no checkout row (the
 * platform stopped between projecting a session-end and reconciling it) without reading every
 * session; it covers only complete sessions, and a session's row changes status once.
 */
export const checkouts: Migration = {
  id: 5,
  name: 'checkouts',
  statements: [
    `CREATE TABLE checkouts (
       session_id uuid PRIMARY KEY REFERENCES sessions (session_id),
       device_id text NOT NULL,
       store_id text NOT NULL,
       counter bigint NOT NULL,
       outcome text NOT NULL CHECK (outcome IN
         ('paid', 'declined', 'amount-mismatch', 'not-paid', 'payment-unavailable')),
       paid_cents bigint,
       payment_ref text,
       receipt_id text UNIQUE,
       reason text,
       reconciled_at timestamptz NOT NULL,
       attempts integer NOT NULL DEFAULT 1,
       retry_at timestamptz,
       CHECK ((outcome = 'payment-unavailable') = (retry_at IS NOT NULL))
     )`,
    'CREATE INDEX checkouts_to_retry ON checkouts (retry_at) WHERE retry_at IS NOT NULL',
    `CREATE INDEX sessions_completed ON sessions (ended_at) WHERE status = 'complete'`,
  ],
};
