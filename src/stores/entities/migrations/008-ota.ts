import type { Migration } from './migration.js';

/**
 * Issue 8, OTA rollouts.
 *
 * - ota_rollouts: one row per rollout. The engine's record lives in `record` (jsonb): stages,
 *   health evaluations, opt-outs and history change together and are only read whole; state,
 *   class and version are columns so rollouts can be listed by them.
 * - ota_jobs: a rollout's whole cohort order, one row per targeted device, made at creation.
 * - ota_health_events: faults and failed boots per firmware version, keyed by the event that
 *   carried them, so a re-projected event never counts twice.
 * - store_maintenance_windows: when a store lets jobs be sent, in its own time zone.
 * - devices.hardware_rev and devices.ca_generations (registers, from boot and shadow reports):
 *   which devices an image fits and which CA generations they trust.
 */
export const ota: Migration = {
  id: 8,
  name: 'ota',
  statements: [
    `CREATE TABLE ota_rollouts (
       rollout_id uuid PRIMARY KEY,
       device_class text NOT NULL,
       target_version text NOT NULL,
       state text NOT NULL CHECK (state IN ('running', 'halted', 'aborted', 'completed')),
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       record jsonb NOT NULL
     )`,
    'CREATE INDEX ota_rollouts_by_state ON ota_rollouts (state, created_at)',
    `CREATE TABLE ota_jobs (
       job_id uuid PRIMARY KEY,
       rollout_id uuid NOT NULL REFERENCES ota_rollouts (rollout_id),
       device_id text NOT NULL,
       store_id text NOT NULL,
       ordinal integer NOT NULL,
       state text NOT NULL CHECK (state IN ('pending', 'already-current', 'sent', 'in-progress',
         'succeeded', 'failed', 'rejected', 'rolled-back', 'timed-out')),
       detail text,
       attempts integer NOT NULL DEFAULT 0,
       first_sent_at timestamptz,
       last_sent_at timestamptz,
       last_status_at timestamptz,
       finished_at timestamptz,
       UNIQUE (rollout_id, device_id),
       UNIQUE (rollout_id, ordinal)
     )`,
    'CREATE INDEX ota_jobs_by_device ON ota_jobs (device_id)',
    `CREATE TABLE ota_health_events (
       device_id text NOT NULL,
       counter bigint NOT NULL,
       kind text NOT NULL CHECK (kind IN ('fault', 'failed-boot')),
       firmware_version text NOT NULL,
       at timestamptz NOT NULL,
       PRIMARY KEY (device_id, counter)
     )`,
    'CREATE INDEX ota_health_events_by_time ON ota_health_events (at)',
    `CREATE TABLE store_maintenance_windows (
       store_id text PRIMARY KEY REFERENCES stores (store_id),
       windows text[] NOT NULL,
       updated_by text NOT NULL,
       updated_at timestamptz NOT NULL
     )`,
    'ALTER TABLE devices ADD COLUMN hardware_counter bigint',
    'ALTER TABLE devices ADD COLUMN hardware_rev text',
    'ALTER TABLE devices ADD COLUMN ca_counter bigint',
    'ALTER TABLE devices ADD COLUMN ca_generations integer[]',
  ],
};
