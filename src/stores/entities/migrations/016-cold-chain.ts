import type { Migration } from './migration.js';

/**
 * Decision 046: shipments with the product profile they travel under (copied onto the row, so a
 * later profile change does not rewrite a trip), the sensors bound to them, the readings
 * attributed to them (keyed by device and counter: a replay is a no-op) and the excursions
 * derived from those readings (keyed by shipment, device, kind and start). Rows carry their
 * expiry, as the seed's telemetry table does (90 days by default).
 */
export const coldChain: Migration = {
  id: 16,
  name: 'cold-chain',
  statements: [
    `CREATE TABLE product_profiles (
      profile_id text PRIMARY KEY,
      name text NOT NULL,
      min_temp_c double precision,
      max_temp_c double precision,
      max_humidity_pct double precision,
      max_shock_g double precision,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE shipments (
      shipment_id text PRIMARY KEY,
      profile jsonb NOT NULL,
      started_at timestamptz NOT NULL,
      closed_at timestamptz,
      created_by text NOT NULL,
      closed_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX shipments_started ON shipments (started_at DESC, shipment_id DESC)`,
    `CREATE TABLE shipment_devices (
      shipment_id text NOT NULL REFERENCES shipments (shipment_id),
      device_id text NOT NULL,
      PRIMARY KEY (shipment_id, device_id)
    )`,
    `CREATE INDEX shipment_devices_device ON shipment_devices (device_id)`,
    `CREATE TABLE coldchain_readings (
      device_id text NOT NULL,
      counter bigint NOT NULL,
      shipment_id text NOT NULL,
      read_at timestamptz NOT NULL,
      temperature_c double precision NOT NULL,
      humidity_pct double precision NOT NULL,
      shock_g double precision NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (device_id, counter)
    )`,
    `CREATE INDEX coldchain_readings_pair ON coldchain_readings (shipment_id, device_id, read_at)`,
    `CREATE INDEX coldchain_readings_expiry ON coldchain_readings (expires_at)`,
    `CREATE TABLE excursions (
      excursion_id text PRIMARY KEY,
      shipment_id text NOT NULL,
      device_id text NOT NULL,
      profile_id text NOT NULL,
      kind text NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      peak double precision NOT NULL,
      peak_at timestamptz NOT NULL,
      limit_value double precision NOT NULL,
      readings integer NOT NULL,
      expires_at timestamptz NOT NULL
    )`,
    `CREATE INDEX excursions_shipment ON excursions (shipment_id, started_at DESC)`,
    `CREATE INDEX excursions_expiry ON excursions (expires_at)`,
  ],
};
