import { SqlColdChainRecords } from '../coldchain/coldchain-queries.js';
import type { SqlClient, SqlExecutor } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toNumberOrNull, toStringOrNull } from '../sql/values.js';
import type { ToolRecord, ToolRecords, ToolReport, ToolService } from './tool-records.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Adds the reports inserted now (a report held before is not in `fresh`) to their tools. Usage
 * since service counts a report only when its time is at or after the last service, so a report
 * from before a service that arrives late does not count against the serviced tool. Battery and
 * last error follow the newest report by the tool's time, whatever order they arrive in.
 */
const ADD_REPORTS = `
WITH fresh AS (
  INSERT INTO tool_reports (device_id, counter, reported_at, usage_minutes, cycles, expires_at)
  SELECT r.device_id, r.counter, r.reported_at, r.usage_minutes, r.cycles, r.expires_at
  FROM unnest($1::text[], $2::int8[], $3::timestamptz[], $4::float8[], $5::int8[],
              $6::timestamptz[]) AS r(device_id, counter, reported_at, usage_minutes, cycles, expires_at)
  ON CONFLICT (device_id, counter) DO NOTHING
  RETURNING device_id, counter, reported_at, usage_minutes, cycles
), detail AS (
  SELECT f.*, d.battery_pct, d.error_code
  FROM fresh f JOIN unnest($1::text[], $2::int8[], $7::float8[], $8::text[])
    AS d(device_id, counter, battery_pct, error_code) USING (device_id, counter)
), agg AS (
  SELECT n.device_id,
    sum(n.usage_minutes) AS minutes,
    sum(n.cycles) AS cycles,
    COALESCE(sum(n.usage_minutes) FILTER (WHERE t.serviced_at IS NULL OR n.reported_at >= t.serviced_at), 0) AS minutes_since,
    COALESCE(sum(n.cycles) FILTER (WHERE t.serviced_at IS NULL OR n.reported_at >= t.serviced_at), 0) AS cycles_since,
    count(*) AS reports,
    max(n.reported_at) AS latest,
    (array_agg(n.battery_pct ORDER BY n.reported_at DESC, n.counter DESC))[1] AS battery,
    count(*) FILTER (WHERE n.error_code IS NOT NULL) AS errors,
    (array_agg(n.error_code ORDER BY n.reported_at DESC, n.counter DESC)
       FILTER (WHERE n.error_code IS NOT NULL))[1] AS error_code,
    max(n.reported_at) FILTER (WHERE n.error_code IS NOT NULL) AS error_at
  FROM detail n JOIN tools t USING (device_id)
  GROUP BY n.device_id
)
UPDATE tools t SET
  usage_minutes = t.usage_minutes + a.minutes,
  cycles = t.cycles + a.cycles,
  minutes_since_service = t.minutes_since_service + a.minutes_since,
  cycles_since_service = t.cycles_since_service + a.cycles_since,
  reports = t.reports + a.reports,
  battery_pct = CASE WHEN t.last_report_at IS NULL OR a.latest >= t.last_report_at
                     THEN a.battery ELSE t.battery_pct END,
  last_report_at = GREATEST(t.last_report_at, a.latest),
  errors = t.errors + a.errors,
  last_error_code = CASE WHEN a.error_at IS NOT NULL
                          AND (t.last_error_at IS NULL OR a.error_at >= t.last_error_at)
                         THEN a.error_code ELSE t.last_error_code END,
  last_error_at = GREATEST(t.last_error_at, a.error_at)
FROM agg a WHERE t.device_id = a.device_id
RETURNING a.reports`;

/**
 * ToolRecords over any SqlClient (PGlite or a PostgreSQL server). SqlEntityStore inherits these
 * methods, as it inherits the cold chain's.
 */
export class SqlToolRecords extends SqlColdChainRecords implements ToolRecords {
  constructor(client: SqlClient) {
    super(client);
  }

  async recordToolReports(batch: readonly ToolReport[]): Promise<number> {
    let reports = batch;
    // One row per device and counter: the details are joined back by that key.
    const byKey = new Map(reports.map((r) => [`${r.deviceId}\u0000${r.counter}`, r]));
    reports = [...byKey.values()];
    if (reports.length === 0) return 0;
    return this.client.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO tools (device_id) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING`,
        [reports.map((r) => r.deviceId)],
      );
      const rows = await tx.query(ADD_REPORTS, [
        reports.map((r) => r.deviceId),
        reports.map((r) => r.counter),
        reports.map((r) => iso(r.reportedAt)),
        reports.map((r) => r.usageMinutes),
        reports.map((r) => r.cycles),
        reports.map((r) => iso(r.expiresAt)),
        reports.map((r) => r.batteryPct),
        reports.map((r) => r.errorCode),
      ]);
      return rows.reduce((n, r) => n + toNumber(r['reports']), 0);
    });
  }

  async assignTool(
    deviceId: string,
    change: { readonly jobSiteId?: string | null; readonly model?: string },
  ): Promise<ToolRecord> {
    const [row] = await this.client.query(
      `INSERT INTO tools AS t (device_id, job_site_id, model)
       VALUES ($1, $2::text, COALESCE($4::text, 'standard'))
       ON CONFLICT (device_id) DO UPDATE SET
         job_site_id = CASE WHEN $3::boolean THEN EXCLUDED.job_site_id ELSE t.job_site_id END,
         model = COALESCE($4::text, t.model)
       RETURNING *`,
      [deviceId, change.jobSiteId ?? null, change.jobSiteId !== undefined, change.model ?? null],
    );
    return toTool(row!);
  }

  async getTool(deviceId: string): Promise<ToolRecord | undefined> {
    const [row] = await this.client.query('SELECT * FROM tools WHERE device_id = $1', [deviceId]);
    return row === undefined ? undefined : toTool(row);
  }

  async listTools(query: { readonly jobSiteId?: string }): Promise<ToolRecord[]> {
    const rows = await this.client.query(
      `SELECT * FROM tools WHERE ($1::text IS NULL OR job_site_id = $1) ORDER BY device_id`,
      [query.jobSiteId ?? null],
    );
    return rows.map(toTool);
  }

  serviceTool(
    deviceId: string,
    service: { readonly at: number; readonly by: string; readonly note: string | null },
  ) {
    return this.client.transaction(async (tx) => {
      const [before] = await tx.query('SELECT * FROM tools WHERE device_id = $1 FOR UPDATE', [
        deviceId,
      ]);
      if (!before) return undefined;
      const [kept] = await tx.query(
        `INSERT INTO tool_services (device_id, serviced_at, serviced_by, note, usage_minutes, cycles)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [
          deviceId,
          iso(service.at),
          service.by,
          service.note,
          before['minutes_since_service'],
          before['cycles_since_service'],
        ],
      );
      const [after] = await tx.query(
        `UPDATE tools SET minutes_since_service = 0, cycles_since_service = 0,
           serviced_at = $2, services = services + 1
         WHERE device_id = $1 RETURNING *`,
        [deviceId, iso(service.at)],
      );
      return { tool: toTool(after!), service: toService(kept!) };
    });
  }

  async listToolServices(deviceId: string): Promise<ToolService[]> {
    return (await listServices(this.client, deviceId)).map(toService);
  }

  async expireToolReports(now: number): Promise<number> {
    const rows = await this.client.query(
      'DELETE FROM tool_reports WHERE expires_at <= $1 RETURNING counter',
      [iso(now)],
    );
    return rows.length;
  }
}

function listServices(db: SqlExecutor, deviceId: string) {
  return db.query('SELECT * FROM tool_services WHERE device_id = $1 ORDER BY serviced_at DESC', [
    deviceId,
  ]);
}

function toTool(r: Record<string, unknown>): ToolRecord {
  return {
    deviceId: String(r['device_id']),
    model: String(r['model']),
    jobSiteId: toStringOrNull(r['job_site_id']),
    usageMinutes: toNumber(r['usage_minutes']),
    cycles: toNumber(r['cycles']),
    minutesSinceService: toNumber(r['minutes_since_service']),
    cyclesSinceService: toNumber(r['cycles_since_service']),
    servicedAt: toIsoOrNull(r['serviced_at']),
    services: toNumber(r['services']),
    reports: toNumber(r['reports']),
    lastReportAt: toIsoOrNull(r['last_report_at']),
    batteryPct: toNumberOrNull(r['battery_pct']),
    errors: toNumber(r['errors']),
    lastErrorCode: toStringOrNull(r['last_error_code']),
    lastErrorAt: toIsoOrNull(r['last_error_at']),
  };
}

function toService(r: Record<string, unknown>): ToolService {
  return {
    deviceId: String(r['device_id']),
    servicedAt: toIso(r['serviced_at']),
    servicedBy: String(r['serviced_by']),
    note: toStringOrNull(r['note']),
    usageMinutes: toNumber(r['usage_minutes']),
    cycles: toNumber(r['cycles']),
  };
}
