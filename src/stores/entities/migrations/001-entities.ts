import type { Migration } from './migration.js';

/**
 * The PRD's seven entities. Cardinalities: a cart (device) belongs to one store; a session to one
 * device and at most one account; a scan to one session; an item to one store; a payment to one
 * session, at most one per session. Identifying PII never lives here: the account row holds a
 * random id and pseudonymous data; names, e-mail, phone, addresses and payment methods belong to
 * the vault. Payments hold an opaque authorization reference, never card data.
 *
 * Counters are bigint: a device counter runs to 2^53 − 1.
 */
export const entities: Migration = {
  id: 1,
  name: 'entities',
  statements: [
    // Stores come from the identity registry (`store add`), or appear with only an id when an
    // event or a catalog names one first; name, region and time zone fill in on the next upsert.
    `CREATE TABLE stores (
       store_id text PRIMARY KEY,
       name text,
       region text,
       timezone text,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,

    // The Cart entity and its siblings (cold-chain sensors, tools): "what is true now" about each
    // device. Current state is kept in registers, each with the counter of the event that last
    // wrote it, so an older event replayed later never overwrites a newer one.
    `CREATE TABLE devices (
       device_id text PRIMARY KEY,
       store_id text NOT NULL REFERENCES stores (store_id),
       device_class text NOT NULL CHECK (device_class IN ('cart', 'coldchain', 'tool')),
       cert_serial text,
       connected boolean NOT NULL DEFAULT false,
       connection_changed_at timestamptz,
       last_seen_at timestamptz,
       last_counter bigint,
       status_counter bigint,
       state text,
       battery_pct double precision,
       battery_mv integer,
       charging boolean,
       link text,
       rssi_dbm integer,
       firmware_counter bigint,
       firmware_version text,
       maintenance_counter bigint,
       maintenance boolean NOT NULL DEFAULT false,
       location_counter bigint,
       lat double precision,
       lon double precision,
       location_accuracy_m double precision,
       location_source text,
       location_at timestamptz,
       session_counter bigint,
       active_session_id uuid,
       fault_counter bigint,
       last_fault_code text,
       last_fault_severity text,
       last_fault_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX devices_by_store ON devices (store_id, device_id)`,

    // Pseudonymous only: a random customer id and facts that identify nobody. Adding a column
    // here that identifies a person is a design change (see the accounts test).
    `CREATE TABLE accounts (
       customer_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       home_store_id text REFERENCES stores (store_id),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,

    `CREATE TABLE sessions (
       session_id uuid PRIMARY KEY,
       device_id text NOT NULL REFERENCES devices (device_id),
       store_id text NOT NULL REFERENCES stores (store_id),
       account_id uuid REFERENCES accounts (customer_id),
       status text NOT NULL
         CHECK (status IN ('active', 'paused', 'complete', 'abandoned', 'voided', 'transferred')),
       status_counter bigint,
       started_at timestamptz NOT NULL,
       ended_at timestamptz,
       scan_count integer NOT NULL DEFAULT 0,
       subtotal_cents bigint NOT NULL DEFAULT 0,
       scan_mismatches integer NOT NULL DEFAULT 0,
       item_count integer,
       total_cents bigint,
       currency text,
       weight_mismatches integer,
       contents jsonb,
       identify_method text CHECK (identify_method IN ('loyalty', 'payment-token', 'app-code')),
       identified_at timestamptz,
       identify_counter bigint,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX sessions_by_device ON sessions (device_id, started_at)`,
    `CREATE INDEX sessions_by_store ON sessions (store_id, started_at)`,
    `CREATE INDEX sessions_by_account ON sessions (account_id) WHERE account_id IS NOT NULL`,

    // Keyed by the event that carried it, so a replayed scan cannot add a second row. The sku is
    // a soft reference to items: a scan of an item the catalog lacks is still a fact.
    `CREATE TABLE scans (
       device_id text NOT NULL,
       counter bigint NOT NULL,
       session_id uuid NOT NULL REFERENCES sessions (session_id),
       store_id text NOT NULL,
       scan_seq integer NOT NULL,
       action text NOT NULL CHECK (action IN ('add', 'remove')),
       barcode text NOT NULL,
       symbology text NOT NULL,
       sku text,
       quantity integer NOT NULL,
       price_cents integer,
       weight_delta_g integer NOT NULL,
       expected_weight_g integer,
       weight_check text NOT NULL CHECK (weight_check IN ('match', 'mismatch', 'not-checked')),
       read_ms integer NOT NULL,
       scanned_at timestamptz NOT NULL,
       PRIMARY KEY (device_id, counter)
     )`,
    `CREATE INDEX scans_by_session ON scans (session_id, scan_seq)`,

    // The store's POS owns its catalog; we hold a copy keyed as the POS keys it.
    `CREATE TABLE items (
       store_id text NOT NULL REFERENCES stores (store_id),
       sku text NOT NULL,
       barcode text,
       name text NOT NULL,
       price_cents integer NOT NULL CHECK (price_cents >= 0),
       weight_g integer CHECK (weight_g >= 0),
       category text,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (store_id, sku)
     )`,
    `CREATE INDEX items_by_barcode ON items (store_id, barcode) WHERE barcode IS NOT NULL`,

    // At most one per session. The reference is the terminal's opaque token, never card data.
    `CREATE TABLE payments (
       payment_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       session_id uuid NOT NULL UNIQUE REFERENCES sessions (session_id),
       device_id text NOT NULL,
       counter bigint NOT NULL,
       method text NOT NULL CHECK (method IN ('store-terminal', 'none')),
       status text NOT NULL CHECK (status IN ('authorized', 'declined', 'deferred')),
       amount_cents bigint NOT NULL,
       currency text NOT NULL,
       auth_reference text,
       decided_at timestamptz NOT NULL
     )`,
  ],
};
