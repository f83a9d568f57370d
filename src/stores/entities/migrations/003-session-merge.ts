import type { Migration } from './migration.js';

/**
 * Issue 5: what the cloud needs to answer an identify and to join the halves of a trip split by a
 * battery swap (decision 013).
 *
 * - credential_digest: SHA-256 hex of `method:value` of the session's newest identify (loyalty
 *   number or payment token; one-time app codes are not kept). Enough to match two sessions of
 *   one customer, and no more than the tier may hold.
 * - customer_ref: the session-scoped customer id the cart is given; random per session, so it
 *   links nothing beyond the session.
 * - merged_into: a 'transferred' session points at the session that continued it.
 *
 * The paging index lets a store's sessions be listed by (started_at, session_id) in either
 * direction; it replaces the index on (store_id, started_at) alone.
 */
export const sessionMerge: Migration = {
  id: 3,
  name: 'session-merge',
  statements: [
    'ALTER TABLE sessions ADD COLUMN credential_digest text',
    'ALTER TABLE sessions ADD COLUMN customer_ref uuid',
    'ALTER TABLE sessions ADD COLUMN merged_into uuid REFERENCES sessions (session_id)',
    `CREATE INDEX sessions_by_credential ON sessions (store_id, credential_digest)
       WHERE credential_digest IS NOT NULL`,
    'CREATE INDEX sessions_by_merge ON sessions (merged_into) WHERE merged_into IS NOT NULL',
    'CREATE INDEX sessions_by_store_page ON sessions (store_id, started_at, session_id)',
    'DROP INDEX sessions_by_store',
  ],
};
