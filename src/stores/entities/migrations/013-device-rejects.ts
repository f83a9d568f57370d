import type { Migration } from './migration.js';

/**
 * Issue 18, top error devices: how many of each device's messages ingest refused, per hour and
 * reason. Metrics count rejects by reason only (per-device labels would be unbounded), so this is
 * the durable per-device record. One row per (device, hour, reason), incremented by UPSERT from
 * batches the ingest gathers; rows older than eight days are pruned as batches are written, so
 * the table stays near devices × rejecting hours × reasons of one week. The time index serves
 * both the window query and the pruning. (Step 12 is another slice of issue 18.)
 */
export const deviceRejects: Migration = {
  id: 13,
  name: 'device-rejects',
  statements: [
    `CREATE TABLE device_rejects (
       device_id text NOT NULL,
       hour timestamptz NOT NULL,
       reason text NOT NULL,
       count bigint NOT NULL CHECK (count > 0),
       PRIMARY KEY (device_id, hour, reason)
     )`,
    'CREATE INDEX device_rejects_by_hour ON device_rejects (hour)',
  ],
};
