import type { Migration } from './migration.js';

/**
 * Decision 046: per connected tool, cumulative usage (minutes and trigger cycles) and usage since
 * its last service, its model (which sets the service interval), its job site, battery and last
 * error. Each report is counted once: `tool_reports` keys it by device and counter, and only a
 * report inserted there now is added. Services are kept as a history.
 */
export const tools: Migration = {
  id: 17,
  name: 'tools',
  statements: [
    `CREATE TABLE tools (
      device_id text PRIMARY KEY,
      model text NOT NULL DEFAULT 'standard',
      job_site_id text,
      usage_minutes double precision NOT NULL DEFAULT 0,
      cycles bigint NOT NULL DEFAULT 0,
      minutes_since_service double precision NOT NULL DEFAULT 0,
      cycles_since_service bigint NOT NULL DEFAULT 0,
      serviced_at timestamptz,
      services integer NOT NULL DEFAULT 0,
      reports bigint NOT NULL DEFAULT 0,
      last_report_at timestamptz,
      battery_pct double precision,
      errors bigint NOT NULL DEFAULT 0,
      last_error_code text,
      last_error_at timestamptz
    )`,
    `CREATE INDEX tools_job_site ON tools (job_site_id, device_id)`,
    `CREATE TABLE tool_reports (
      device_id text NOT NULL,
      counter bigint NOT NULL,
      reported_at timestamptz NOT NULL,
      usage_minutes double precision NOT NULL,
      cycles bigint NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (device_id, counter)
    )`,
    `CREATE INDEX tool_reports_expiry ON tool_reports (expires_at)`,
    `CREATE TABLE tool_services (
      device_id text NOT NULL,
      serviced_at timestamptz NOT NULL,
      serviced_by text NOT NULL,
      note text,
      usage_minutes double precision NOT NULL,
      cycles bigint NOT NULL,
      PRIMARY KEY (device_id, serviced_at)
    )`,
  ],
};
