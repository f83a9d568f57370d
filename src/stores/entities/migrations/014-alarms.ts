import type { Migration } from './migration.js';

/**
 * Issue 18 (decision 035): operational alarms, their history, and the rule sets that raise them.
 * At most one open alarm per key (rule + subject): the partial unique index is what makes a
 * condition seen again a bump of the open alarm rather than a second one, even with two writers.
 */
export const alarms: Migration = {
  id: 14,
  name: 'alarms',
  statements: [
    `CREATE TABLE alarms (
       alarm_id text PRIMARY KEY,
       alarm_key text NOT NULL,
       rule_id text NOT NULL,
       severity text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
       store_id text NOT NULL,
       device_id text,
       state text NOT NULL DEFAULT 'firing'
         CHECK (state IN ('firing', 'acknowledged', 'resolved')),
       first_at timestamptz NOT NULL,
       last_at timestamptz NOT NULL,
       seen integer NOT NULL DEFAULT 1,
       last_counter bigint,
       reading jsonb NOT NULL,
       acknowledged_by text,
       acknowledged_at timestamptz,
       resolved_by text,
       resolved_at timestamptz
     )`,
    `CREATE UNIQUE INDEX alarms_one_open_per_key ON alarms (alarm_key) WHERE state <> 'resolved'`,
    'CREATE INDEX alarms_by_state ON alarms (state, last_at, alarm_id)',
    'CREATE INDEX alarms_by_store ON alarms (store_id, last_at, alarm_id)',
    `CREATE TABLE alarm_events (
       alarm_id text NOT NULL REFERENCES alarms (alarm_id) ON DELETE CASCADE,
       at timestamptz NOT NULL,
       change text NOT NULL CHECK (change IN ('fired', 'acknowledged', 'resolved')),
       by_whom text NOT NULL,
       reading jsonb
     )`,
    'CREATE INDEX alarm_events_by_alarm ON alarm_events (alarm_id, at)',
    `CREATE TABLE rule_sets (
       profile text PRIMARY KEY,
       document jsonb NOT NULL,
       version integer NOT NULL,
       updated_at timestamptz NOT NULL,
       updated_by text NOT NULL
     )`,
  ],
};
