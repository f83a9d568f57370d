import type { SqlClient } from '../sql/sql-client.js';
import { toNumber, toStringOrNull } from '../sql/values.js';
import type {
  DeviceErrorCounts,
  DeviceHealthRecords,
  DeviceRejectCount,
  TopErrorQuery,
} from './device-health-records.js';

const HOUR_MS = 3_600_000;
/** A week of history for a "last 7 days" question, plus a day so the oldest hour is whole. */
export const REJECTS_KEPT_MS = 8 * 24 * HOUR_MS;

const iso = (ms: number) => new Date(ms).toISOString();
const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** DeviceHealthRecords over any SqlClient (PGlite or a PostgreSQL server). */
export class SqlDeviceHealthRecords implements DeviceHealthRecords {
  constructor(private readonly client: SqlClient) {}

  async recordDeviceRejects(counts: readonly DeviceRejectCount[], now: number): Promise<void> {
    // Folded first: an UPSERT may touch a row only once per statement.
    const rows = new Map<string, { deviceId: string; hour: number; reason: string; n: number }>();
    for (const c of counts) {
      const hour = hourOf(c.at);
      const key = `${c.deviceId}\u0000${hour}\u0000${c.reason}`;
      const row = rows.get(key);
      if (row) row.n += c.count;
      else rows.set(key, { deviceId: c.deviceId, hour, reason: c.reason, n: c.count });
    }
    const cutoff = iso(now - REJECTS_KEPT_MS);
    const fresh = [...rows.values()].filter((r) => r.n > 0 && iso(r.hour) >= cutoff);
    await this.client.transaction(async (tx) => {
      if (fresh.length > 0) {
        await tx.query(
          `INSERT INTO device_rejects AS r (device_id, hour, reason, count)
           SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int8[])
           ON CONFLICT (device_id, hour, reason) DO UPDATE SET count = r.count + EXCLUDED.count`,
          [
            fresh.map((r) => r.deviceId),
            fresh.map((r) => iso(r.hour)),
            fresh.map((r) => r.reason),
            fresh.map((r) => r.n),
          ],
        );
      }
      await tx.query('DELETE FROM device_rejects WHERE hour < $1', [cutoff]);
    });
  }

  async listTopErrorDevices(query: TopErrorQuery): Promise<DeviceErrorCounts[]> {
    // Both sources are read by their time index for the window only; the devices table is joined
    // for the store and class of the few devices that have errors.
    const rows = await this.client.query(
      `WITH r AS (
         SELECT device_id, reason, sum(count)::int8 AS n FROM device_rejects
         WHERE hour >= $1 GROUP BY device_id, reason
       ), rj AS (
         SELECT device_id, sum(n)::int8 AS rejects, jsonb_object_agg(reason, n) AS by_reason
         FROM r GROUP BY device_id
       ), h AS (
         SELECT device_id,
           count(*) FILTER (WHERE kind = 'fault') AS faults,
           count(*) FILTER (WHERE kind = 'failed-boot') AS reboots
         FROM ota_health_events WHERE at >= $2 GROUP BY device_id
       ), x AS (
         SELECT device_id, COALESCE(rj.rejects, 0) AS rejects, rj.by_reason,
           COALESCE(h.faults, 0) AS faults, COALESCE(h.reboots, 0) AS reboots
         FROM rj FULL JOIN h USING (device_id)
       )
       SELECT x.device_id, d.store_id, d.device_class, x.rejects, x.by_reason, x.faults,
         x.reboots, (x.rejects + x.faults + x.reboots) AS total
       FROM x LEFT JOIN devices d ON d.device_id = x.device_id
       WHERE $3::text IS NULL OR d.store_id = $3
       ORDER BY total DESC, x.device_id
       LIMIT $4`,
      [iso(hourOf(query.since)), iso(query.since), query.storeId ?? null, query.limit],
    );
    return rows.map((row) => {
      const raw = row['by_reason'];
      const byReason = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {})) as Record<
        string,
        unknown
      >;
      return {
        deviceId: String(row['device_id']),
        storeId: toStringOrNull(row['store_id']),
        deviceClass: toStringOrNull(row['device_class']),
        rejects: toNumber(row['rejects']),
        rejectsByReason: Object.fromEntries(
          Object.entries(byReason).map(([reason, n]) => [reason, toNumber(n)]),
        ),
        faults: toNumber(row['faults']),
        reboots: toNumber(row['reboots']),
        total: toNumber(row['total']),
      };
    });
  }
}
