import type { Migration } from './migration.js';

/**
 * Issue 6: tier 2 of the customer model (decision 020). The account row stays pseudonymous: a
 * random customer id, the region whose vault holds the person's tier 3 record, how the account
 * came to be, and a keyed digest of the loyalty number so a tap resolves without the number or the
 * vault. Sessions are merged on the account the identity service resolved (a loyalty card on one
 * cart and the app on the next still join), so the credential digest of decision 013 goes.
 */
export const customerIdentity: Migration = {
  id: 4,
  name: 'customer-identity',
  statements: [
    `ALTER TABLE accounts ADD COLUMN kind text NOT NULL DEFAULT 'member'
       CHECK (kind IN ('member', 'card-holder', 'app-user'))`,
    `ALTER TABLE accounts ADD COLUMN region text NOT NULL DEFAULT 'us'
       CHECK (region IN ('us', 'eu'))`,
    'ALTER TABLE accounts ADD COLUMN loyalty_digest text UNIQUE',
    'ALTER TABLE accounts ADD COLUMN deleted_at timestamptz',

    'DROP INDEX sessions_by_credential',
    'ALTER TABLE sessions DROP COLUMN credential_digest',
    `CREATE INDEX sessions_by_store_account ON sessions (store_id, account_id)
       WHERE account_id IS NOT NULL`,

    // One-time pairing codes the app shows as a QR: only a keyed digest is kept.
    `CREATE TABLE app_codes (
       code_digest text PRIMARY KEY,
       customer_id uuid NOT NULL REFERENCES accounts (customer_id) ON DELETE CASCADE,
       expires_at timestamptz NOT NULL,
       used_at timestamptz,
       used_by_session uuid
     )`,

    // A customer's pre-shop list per store: SKUs only.
    `CREATE TABLE shopping_lists (
       customer_id uuid NOT NULL REFERENCES accounts (customer_id) ON DELETE CASCADE,
       store_id text NOT NULL REFERENCES stores (store_id),
       skus jsonb NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (customer_id, store_id)
     )`,

    // Data-subject requests: state and deadline for the privacy officer. The account id stays
    // after a deletion so the record of having honoured the request survives it.
    `CREATE TABLE dsar_requests (
       request_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       customer_id uuid NOT NULL,
       kind text NOT NULL CHECK (kind IN ('export', 'correct', 'delete')),
       state text NOT NULL CHECK (state IN ('open', 'completed', 'refused')),
       region text NOT NULL,
       requested_by text NOT NULL,
       requested_at timestamptz NOT NULL,
       deadline timestamptz NOT NULL,
       completed_at timestamptz,
       outcome text
     )`,
    'CREATE INDEX dsar_by_state ON dsar_requests (state, deadline)',
  ],
};
