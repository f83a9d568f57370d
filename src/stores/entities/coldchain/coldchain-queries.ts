import { createHash } from 'node:crypto';
import { SqlConsoleRecords } from '../console/console-queries.js';
import type { SqlClient, SqlExecutor } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toNumberOrNull, toStringOrNull } from '../sql/values.js';
import type {
  ChangedPair,
  ReadingKey,
  ColdChainRecords,
  ColdchainReading,
  CreateShipmentResult,
  ExcursionKind,
  ExcursionRecord,
  ExcursionView,
  NewShipment,
  ProductProfile,
  ShipmentDevice,
  ShipmentView,
  StoredReading,
} from './coldchain-records.js';

const iso = (ms: number) => new Date(ms).toISOString();

const SHIPMENT_SQL = `SELECT s.*,
  COALESCE((SELECT array_agg(d.device_id ORDER BY d.device_id) FROM shipment_devices d
            WHERE d.shipment_id = s.shipment_id), '{}') AS device_ids,
  (SELECT count(*) FROM coldchain_readings r WHERE r.shipment_id = s.shipment_id) AS reading_count,
  (SELECT count(*) FROM excursions e WHERE e.shipment_id = s.shipment_id) AS excursion_count,
  (SELECT count(*) FROM excursions e
   WHERE e.shipment_id = s.shipment_id AND e.ended_at IS NULL) AS open_count
  FROM shipments s`;

/**
 * The id of an excursion: its key (shipment, device, kind, start) hashed, so deriving the same
 * excursion again writes the same row and a retry is a no-op.
 */
export function excursionId(pair: ShipmentDevice, kind: ExcursionKind, startedAt: number): string {
  const key = `${pair.shipmentId}\u0000${pair.deviceId}\u0000${kind}\u0000${startedAt}`;
  return `exc-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/**
 * ColdChainRecords over any SqlClient (PGlite or a PostgreSQL server). SqlEntityStore inherits
 * these methods, as it inherits the console's.
 */
export class SqlColdChainRecords extends SqlConsoleRecords implements ColdChainRecords {
  constructor(client: SqlClient) {
    super(client);
  }

  async addProductProfile(p: ProductProfile): Promise<boolean> {
    const rows = await this.client.query(
      `INSERT INTO product_profiles
         (profile_id, name, min_temp_c, max_temp_c, max_humidity_pct, max_shock_g)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (profile_id) DO NOTHING RETURNING profile_id`,
      [p.profileId, p.name, p.minTempC, p.maxTempC, p.maxHumidityPct, p.maxShockG],
    );
    return rows.length === 1;
  }

  async listProductProfiles(): Promise<ProductProfile[]> {
    const rows = await this.client.query('SELECT * FROM product_profiles ORDER BY profile_id');
    return rows.map((r) => ({
      profileId: String(r['profile_id']),
      name: String(r['name']),
      minTempC: toNumberOrNull(r['min_temp_c']),
      maxTempC: toNumberOrNull(r['max_temp_c']),
      maxHumidityPct: toNumberOrNull(r['max_humidity_pct']),
      maxShockG: toNumberOrNull(r['max_shock_g']),
    }));
  }

  createShipment(s: NewShipment): Promise<CreateShipmentResult> {
    return this.client.transaction(async (tx) => {
      // One writer at a time decides bindings: two shipments created at once cannot both take
      // the same sensor.
      await tx.query('LOCK TABLE shipment_devices IN SHARE ROW EXCLUSIVE MODE');
      const [taken] = await tx.query(
        `SELECT d.device_id FROM shipment_devices d JOIN shipments s USING (shipment_id)
         WHERE d.device_id = ANY($1::text[]) AND (s.closed_at IS NULL OR s.closed_at > $2)
         ORDER BY d.device_id LIMIT 1`,
        [[...s.deviceIds], iso(s.startedAt)],
      );
      if (taken)
        return { created: false, reason: 'device-bound', deviceId: String(taken['device_id']) };
      const inserted = await tx.query(
        `INSERT INTO shipments (shipment_id, profile, started_at, created_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT (shipment_id) DO NOTHING RETURNING shipment_id`,
        [s.shipmentId, JSON.stringify(s.profile), iso(s.startedAt), s.createdBy],
      );
      if (inserted.length === 0) return { created: false, reason: 'exists' };
      await tx.query(
        `INSERT INTO shipment_devices (shipment_id, device_id) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING`,
        [s.shipmentId, [...s.deviceIds]],
      );
      return { created: true, shipment: (await readShipment(tx, s.shipmentId))! };
    });
  }

  async closeShipment(shipmentId: string, at: number, by: string) {
    await this.client.query(
      `UPDATE shipments SET closed_at = GREATEST($2::timestamptz, started_at), closed_by = $3
       WHERE shipment_id = $1 AND closed_at IS NULL`,
      [shipmentId, iso(at), by],
    );
    return readShipment(this.client, shipmentId);
  }

  getShipment(shipmentId: string): Promise<ShipmentView | undefined> {
    return readShipment(this.client, shipmentId);
  }

  async listShipments(query: { readonly open?: boolean; readonly limit: number }) {
    const where =
      query.open === undefined
        ? ''
        : query.open
          ? 'WHERE s.closed_at IS NULL'
          : 'WHERE s.closed_at IS NOT NULL';
    const rows = await this.client.query(
      `${SHIPMENT_SQL} ${where} ORDER BY s.started_at DESC, s.shipment_id DESC LIMIT $1`,
      [query.limit],
    );
    return rows.map(toShipmentView);
  }

  async recordColdchainReadings(readings: readonly ColdchainReading[]): Promise<ChangedPair[]> {
    if (readings.length === 0) return [];
    const rows = await this.client.query(
      `INSERT INTO coldchain_readings (device_id, counter, shipment_id, read_at, temperature_c,
         humidity_pct, shock_g, expires_at)
       SELECT r.device_id, r.counter, s.shipment_id, r.read_at, r.t, r.h, r.g, r.expires_at
       FROM unnest($1::text[], $2::int8[], $3::timestamptz[], $4::float8[], $5::float8[],
                   $6::float8[], $7::timestamptz[]) AS r(device_id, counter, read_at, t, h, g, expires_at)
       JOIN shipment_devices d ON d.device_id = r.device_id
       JOIN shipments s ON s.shipment_id = d.shipment_id AND s.started_at <= r.read_at
         AND (s.closed_at IS NULL OR r.read_at < s.closed_at)
       ON CONFLICT (device_id, counter) DO NOTHING
       RETURNING shipment_id, device_id, read_at`,
      [
        readings.map((r) => r.deviceId),
        readings.map((r) => r.counter),
        readings.map((r) => iso(r.readAt)),
        readings.map((r) => r.temperatureC),
        readings.map((r) => r.humidityPct),
        readings.map((r) => r.shockG),
        readings.map((r) => iso(r.expiresAt)),
      ],
    );
    const pairs = new Map<string, ChangedPair>();
    for (const r of rows) {
      const key = `${String(r['shipment_id'])}\u0000${String(r['device_id'])}`;
      const at = Date.parse(toIso(r['read_at']));
      const earliest = Math.min(at, pairs.get(key)?.earliest ?? at);
      pairs.set(key, {
        shipmentId: String(r['shipment_id']),
        deviceId: String(r['device_id']),
        earliest,
      });
    }
    return [...pairs.values()];
  }

  async findExcursionAnchor(pair: ShipmentDevice, before: number): Promise<ReadingKey | null> {
    const bound = (key: string) => `(s.profile->>'${key}')::float8`;
    const [row] = await this.client.query(
      `SELECT r.read_at, r.counter FROM coldchain_readings r JOIN shipments s USING (shipment_id)
       WHERE r.shipment_id = $1 AND r.device_id = $2 AND r.read_at < $3
         AND (${bound('minTempC')} IS NULL OR r.temperature_c >= ${bound('minTempC')})
         AND (${bound('maxTempC')} IS NULL OR r.temperature_c <= ${bound('maxTempC')})
         AND (${bound('maxHumidityPct')} IS NULL OR r.humidity_pct <= ${bound('maxHumidityPct')})
         AND (${bound('maxShockG')} IS NULL OR r.shock_g <= ${bound('maxShockG')})
         AND NOT EXISTS (SELECT 1 FROM excursions e
           WHERE e.shipment_id = r.shipment_id AND e.device_id = r.device_id
             AND e.started_at <= r.read_at AND (e.ended_at IS NULL OR e.ended_at >= r.read_at))
       ORDER BY r.read_at DESC, r.counter DESC LIMIT 1`,
      [pair.shipmentId, pair.deviceId, iso(before)],
    );
    return row === undefined
      ? null
      : { readAt: Date.parse(toIso(row['read_at'])), counter: toNumber(row['counter']) };
  }

  async listShipmentReadings(
    pair: ShipmentDevice,
    after: ReadingKey | null,
  ): Promise<StoredReading[]> {
    const rows = await this.client.query(
      `SELECT counter, read_at, temperature_c, humidity_pct, shock_g FROM coldchain_readings
       WHERE shipment_id = $1 AND device_id = $2
         AND ($3::timestamptz IS NULL OR (read_at, counter) > ($3::timestamptz, $4::int8))
       ORDER BY read_at, counter`,
      [pair.shipmentId, pair.deviceId, after ? iso(after.readAt) : null, after?.counter ?? 0],
    );
    return rows.map((r) => ({
      counter: toNumber(r['counter']),
      readAt: Date.parse(toIso(r['read_at'])),
      temperatureC: toNumber(r['temperature_c']),
      humidityPct: toNumber(r['humidity_pct']),
      shockG: toNumber(r['shock_g']),
    }));
  }

  replaceExcursions(
    pair: ShipmentDevice,
    excursions: readonly ExcursionRecord[],
    ttlMs: number,
    after: number | null,
  ): Promise<number> {
    return this.client.transaction(async (tx) => {
      const [shipment] = await tx.query(
        `SELECT profile->>'profileId' AS profile_id FROM shipments WHERE shipment_id = $1`,
        [pair.shipmentId],
      );
      if (!shipment) return 0;
      const ids = excursions.map((e) => excursionId(pair, e.kind, e.startedAt));
      const gone = await tx.query(
        `DELETE FROM excursions WHERE shipment_id = $1 AND device_id = $2
         AND NOT (excursion_id = ANY($3::text[]))
         AND ($4::timestamptz IS NULL OR started_at > $4::timestamptz) RETURNING excursion_id`,
        [pair.shipmentId, pair.deviceId, ids, after === null ? null : iso(after)],
      );
      let changed = gone.length;
      for (const [i, e] of excursions.entries()) {
        const written = await tx.query(
          `INSERT INTO excursions AS x (excursion_id, shipment_id, device_id, profile_id, kind,
             started_at, ended_at, peak, peak_at, limit_value, readings, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (excursion_id) DO UPDATE SET ended_at = EXCLUDED.ended_at,
             peak = EXCLUDED.peak, peak_at = EXCLUDED.peak_at, limit_value = EXCLUDED.limit_value,
             readings = EXCLUDED.readings
           WHERE (x.ended_at, x.peak, x.peak_at, x.limit_value, x.readings) IS DISTINCT FROM
             (EXCLUDED.ended_at, EXCLUDED.peak, EXCLUDED.peak_at, EXCLUDED.limit_value,
              EXCLUDED.readings)
           RETURNING excursion_id`,
          [
            ids[i],
            pair.shipmentId,
            pair.deviceId,
            String(shipment['profile_id']),
            e.kind,
            iso(e.startedAt),
            e.endedAt === null ? null : iso(e.endedAt),
            e.peak,
            iso(e.peakAt),
            e.limit,
            e.readings,
            iso(e.startedAt + ttlMs),
          ],
        );
        changed += written.length;
      }
      return changed;
    });
  }

  async listExcursions(query: { readonly shipmentId?: string; readonly limit: number }) {
    const rows = await this.client.query(
      `SELECT * FROM excursions WHERE ($1::text IS NULL OR shipment_id = $1)
       ORDER BY started_at DESC, excursion_id DESC LIMIT $2`,
      [query.shipmentId ?? null, query.limit],
    );
    return rows.map(toExcursionView);
  }

  async expireColdchain(now: number): Promise<number> {
    return this.client.transaction(async (tx) => {
      const readings = await tx.query(
        'DELETE FROM coldchain_readings WHERE expires_at <= $1 RETURNING counter',
        [iso(now)],
      );
      const excursions = await tx.query(
        'DELETE FROM excursions WHERE expires_at <= $1 RETURNING excursion_id',
        [iso(now)],
      );
      return readings.length + excursions.length;
    });
  }
}

async function readShipment(db: SqlExecutor, shipmentId: string) {
  const [row] = await db.query(`${SHIPMENT_SQL} WHERE s.shipment_id = $1`, [shipmentId]);
  return row === undefined ? undefined : toShipmentView(row);
}

function toShipmentView(r: Record<string, unknown>): ShipmentView {
  const profile = (
    typeof r['profile'] === 'string' ? JSON.parse(r['profile']) : r['profile']
  ) as ProductProfile;
  return {
    shipmentId: String(r['shipment_id']),
    profile,
    deviceIds: (r['device_ids'] as string[]).map(String),
    startedAt: toIso(r['started_at']),
    closedAt: toIsoOrNull(r['closed_at']),
    createdBy: String(r['created_by']),
    closedBy: toStringOrNull(r['closed_by']),
    readings: toNumber(r['reading_count']),
    excursions: toNumber(r['excursion_count']),
    openExcursions: toNumber(r['open_count']),
  };
}

function toExcursionView(r: Record<string, unknown>): ExcursionView {
  const startedAt = toIso(r['started_at']);
  const endedAt = toIsoOrNull(r['ended_at']);
  return {
    excursionId: String(r['excursion_id']),
    shipmentId: String(r['shipment_id']),
    deviceId: String(r['device_id']),
    profileId: String(r['profile_id']),
    kind: String(r['kind']) as ExcursionKind,
    startedAt,
    endedAt,
    durationS: endedAt === null ? null : (Date.parse(endedAt) - Date.parse(startedAt)) / 1000,
    peak: toNumber(r['peak']),
    peakAt: toIso(r['peak_at']),
    limit: toNumber(r['limit_value']),
    readings: toNumber(r['readings']),
  };
}
