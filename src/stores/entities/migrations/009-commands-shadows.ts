import type { Migration } from './migration.js';

/**
 * Issue 8, cloud-to-device commands and the device shadow.
 *
 * - commands: the ledger. One row per command id; a retry re-sends the same id (the device runs
 *   an id at most once), so it updates the row instead of adding one. Arguments are stored only
 *   for the commands the API may send, none of which carries personal data.
 * - device_shadows: desired document + version, and the newest report (by device counter) with
 *   the desired version it acknowledged.
 * - Staff maintenance used to publish shadow documents numbered by cart_maintenance's
 *   desired_version; the shadow starts from that document and version so the versions a cart
 *   sees only go up.
 */
export const commandsShadows: Migration = {
  id: 9,
  name: 'commands-shadows',
  statements: [
    `CREATE TABLE commands (
       command_id uuid PRIMARY KEY,
       device_id text NOT NULL REFERENCES devices (device_id),
       name text NOT NULL,
       args jsonb NOT NULL DEFAULT '{}'::jsonb,
       requested_by text NOT NULL,
       status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'rejected')),
       code text,
       duplicate boolean NOT NULL DEFAULT false,
       attempts integer NOT NULL DEFAULT 1,
       created_at timestamptz NOT NULL,
       sent_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL,
       responded_at timestamptz
     )`,
    'CREATE INDEX commands_by_device ON commands (device_id, created_at DESC, command_id DESC)',
    `CREATE INDEX commands_pending_by_expiry ON commands (expires_at) WHERE status = 'pending'`,
    `CREATE TABLE device_shadows (
       device_id text PRIMARY KEY REFERENCES devices (device_id),
       desired jsonb NOT NULL DEFAULT '{}'::jsonb,
       desired_version bigint NOT NULL DEFAULT 0,
       desired_by text,
       desired_at timestamptz,
       reported jsonb,
       reported_desired_version bigint,
       reported_counter bigint,
       reported_at timestamptz
     )`,
    `INSERT INTO device_shadows (device_id, desired, desired_version, desired_by, desired_at)
     SELECT device_id, jsonb_build_object('maintenance_mode', reason IS NOT NULL),
       desired_version, set_by, set_at
     FROM cart_maintenance`,
  ],
};
