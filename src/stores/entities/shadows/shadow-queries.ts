import { jsonObject } from '../commands/command-queries.js';
import type { SqlClient } from '../sql/sql-client.js';
import { toIsoOrNull, toNumber, toNumberOrNull, toStringOrNull } from '../sql/values.js';
import type {
  DesiredWrite,
  DesiredWriteResult,
  ShadowRecord,
  ShadowRecords,
  ShadowReportRecord,
} from './shadow-records.js';

const iso = (ms: number) => new Date(ms).toISOString();
const COLUMNS = `device_id, desired, desired_version, desired_by, desired_at, reported,
  reported_desired_version, reported_counter, reported_at`;

/** ShadowRecords over any SqlClient (PGlite or a PostgreSQL server). */
export class SqlShadowRecords implements ShadowRecords {
  constructor(private readonly client: SqlClient) {}

  async getShadow(deviceId: string): Promise<ShadowRecord | undefined> {
    const rows = await this.client.query(
      `SELECT ${COLUMNS} FROM device_shadows WHERE device_id = $1`,
      [deviceId],
    );
    return rows[0] === undefined ? undefined : toShadow(rows[0]);
  }

  async writeShadowDesired(deviceId: string, write: DesiredWrite): Promise<DesiredWriteResult> {
    const params = [deviceId, JSON.stringify(write.desired), write.by, iso(write.at)];
    // No row yet is version 0: the insert wins only if nobody created the row meanwhile.
    const rows =
      write.expectedVersion === 0
        ? await this.client.query(
            `INSERT INTO device_shadows (device_id, desired, desired_version, desired_by, desired_at)
             SELECT device_id, $2::jsonb, 1, $3, $4::timestamptz FROM devices WHERE device_id = $1
             ON CONFLICT (device_id) DO UPDATE SET desired = EXCLUDED.desired,
               desired_version = 1, desired_by = EXCLUDED.desired_by,
               desired_at = EXCLUDED.desired_at
             WHERE device_shadows.desired_version = 0
             RETURNING ${COLUMNS}`,
            params,
          )
        : await this.client.query(
            `UPDATE device_shadows SET desired = $2::jsonb, desired_version = desired_version + 1,
               desired_by = $3, desired_at = $4::timestamptz
             WHERE device_id = $1 AND desired_version = $5
             RETURNING ${COLUMNS}`,
            [...params, write.expectedVersion],
          );
    if (rows[0] !== undefined) return { ok: true, shadow: toShadow(rows[0]) };
    const device = await this.client.query('SELECT 1 FROM devices WHERE device_id = $1', [
      deviceId,
    ]);
    return { ok: false, reason: device.length > 0 ? 'conflict' : 'unknown-device' };
  }

  async recordShadowReport(report: ShadowReportRecord): Promise<boolean> {
    const rows = await this.client.query(
      `INSERT INTO device_shadows (device_id, reported, reported_desired_version,
         reported_counter, reported_at)
       SELECT device_id, $2::jsonb, $3, $4, $5::timestamptz FROM devices WHERE device_id = $1
       ON CONFLICT (device_id) DO UPDATE SET reported = EXCLUDED.reported,
         reported_desired_version = EXCLUDED.reported_desired_version,
         reported_counter = EXCLUDED.reported_counter, reported_at = EXCLUDED.reported_at
       WHERE device_shadows.reported_counter IS NULL
         OR device_shadows.reported_counter < EXCLUDED.reported_counter
       RETURNING 1`,
      [
        report.deviceId,
        JSON.stringify(report.reported),
        report.desiredVersion,
        report.counter,
        iso(report.at),
      ],
    );
    return rows.length > 0;
  }

  async listDesiredShadows(after: string | null, limit: number): Promise<ShadowRecord[]> {
    const rows = await this.client.query(
      `SELECT ${COLUMNS} FROM device_shadows
       WHERE desired_version > 0 AND ($1::text IS NULL OR device_id > $1)
       ORDER BY device_id LIMIT $2`,
      [after, limit],
    );
    return rows.map(toShadow);
  }
}

function toShadow(row: Record<string, unknown>): ShadowRecord {
  return {
    deviceId: String(row['device_id']),
    desired: jsonObject(row['desired']) ?? {},
    desiredVersion: toNumber(row['desired_version']),
    desiredBy: toStringOrNull(row['desired_by']),
    desiredAt: toIsoOrNull(row['desired_at']),
    reported: jsonObject(row['reported']),
    reportedDesiredVersion: toNumberOrNull(row['reported_desired_version']),
    reportedCounter: toNumberOrNull(row['reported_counter']),
    reportedAt: toIsoOrNull(row['reported_at']),
  };
}
