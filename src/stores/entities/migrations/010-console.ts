import type { Migration } from './migration.js';

/**
 * Issue 15, people who sign in at the console (decision 023).
 *
 * - console_people: a role, a store for staff, a subject (a customer's account id, or the handle
 *   a link named for ops and staff) and, for ops and staff only, a display name: a customer's
 *   name lives in the vault, never here.
 * - console_credentials: passkeys (WebAuthn credentials) with their COSE public key and counter.
 * - console_sessions: keyed by the SHA-256 of the cookie's random id, never the id itself, so a
 *   copy of this table opens no session.
 * - console_links: the id of every one-time link consumed, so a link works once.
 */
export const consoleAuth: Migration = {
  id: 10,
  name: 'console',
  statements: [
    `CREATE TABLE console_people (
       person_id uuid PRIMARY KEY,
       role text NOT NULL CHECK (role IN ('ops', 'staff', 'customer')),
       store_id text,
       subject text,
       name text,
       created_at timestamptz NOT NULL,
       CHECK ((role = 'staff') = (store_id IS NOT NULL)),
       CHECK (role <> 'customer' OR (subject IS NOT NULL AND name IS NULL))
     )`,
    `CREATE UNIQUE INDEX console_people_by_handle
       ON console_people (role, COALESCE(store_id, ''), subject) WHERE subject IS NOT NULL`,
    `CREATE TABLE console_credentials (
       credential_id text PRIMARY KEY,
       person_id uuid NOT NULL REFERENCES console_people (person_id) ON DELETE CASCADE,
       public_key text NOT NULL,
       counter bigint NOT NULL,
       transports jsonb NOT NULL DEFAULT '[]'::jsonb,
       created_at timestamptz NOT NULL,
       last_used_at timestamptz
     )`,
    'CREATE INDEX console_credentials_by_person ON console_credentials (person_id, created_at)',
    `CREATE TABLE console_sessions (
       id_hash text PRIMARY KEY,
       person_id uuid NOT NULL REFERENCES console_people (person_id) ON DELETE CASCADE,
       csrf_token text NOT NULL,
       created_at timestamptz NOT NULL,
       last_seen_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL,
       fresh_until timestamptz
     )`,
    'CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at)',
    'CREATE INDEX console_sessions_by_person ON console_sessions (person_id)',
    `CREATE TABLE console_links (
       jti text PRIMARY KEY,
       person_id uuid REFERENCES console_people (person_id) ON DELETE SET NULL,
       used_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL
     )`,
    'CREATE INDEX console_links_by_expiry ON console_links (expires_at)',
  ],
};
