import type { DeviceClass } from '../../../contract/index.js';
import type { SqlClient } from '../sql/sql-client.js';
import { toNumber, toStringOrNull } from '../sql/values.js';
import type { OtaRecords } from './ota-records.js';
import type {
  HealthQuery,
  OpeningHours,
  OtaJobState,
  OtaTarget,
  RolloutJobRecord,
  RolloutRecord,
  RolloutState,
  StoreSchedule,
  TargetFilter,
  VersionHealthSample,
} from './ota-types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR_MS = 3_600_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (value: unknown) =>
  value === null || value === undefined ? null : new Date(value as string | Date).getTime();

const JOB_COLUMNS = `job_id, rollout_id, device_id, store_id, ordinal, state, detail, attempts,
  first_sent_at, last_sent_at, last_status_at, finished_at`;

/** OtaRecords over any SqlClient (PGlite or a PostgreSQL server). */
export class SqlOtaRecords implements OtaRecords {
  constructor(private readonly client: SqlClient) {}

  async createRollout(rollout: RolloutRecord, jobs: readonly RolloutJobRecord[]): Promise<void> {
    await this.client.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO ota_rollouts (rollout_id, device_class, target_version, state, created_at,
           updated_at, record) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        rolloutRow(rollout),
      );
      if (jobs.length > 0) await tx.query(UPSERT_JOBS, jobColumns(jobs));
    });
  }

  async getRollout(rolloutId: string): Promise<RolloutRecord | undefined> {
    if (!UUID.test(rolloutId)) return undefined;
    const rows = await this.client.query<{ record: unknown }>(
      'SELECT record FROM ota_rollouts WHERE rollout_id = $1',
      [rolloutId],
    );
    return rows[0] && toRollout(rows[0].record);
  }

  async listRollouts(filter: { readonly states?: readonly RolloutState[] }) {
    const rows = await this.client.query<{ record: unknown }>(
      `SELECT record FROM ota_rollouts WHERE ($1::text[] IS NULL OR state = ANY($1::text[]))
       ORDER BY created_at DESC, rollout_id DESC`,
      [filter.states ? [...filter.states] : null],
    );
    return rows.map((r) => toRollout(r.record));
  }

  async updateRollout(rollout: RolloutRecord): Promise<void> {
    await this.client.query(
      `UPDATE ota_rollouts SET device_class = $2, target_version = $3, state = $4,
         created_at = $5, updated_at = $6, record = $7 WHERE rollout_id = $1`,
      rolloutRow(rollout),
    );
  }

  async upsertOtaJobs(jobs: readonly RolloutJobRecord[]): Promise<void> {
    if (jobs.length > 0) await this.client.query(UPSERT_JOBS, jobColumns(jobs));
  }

  async listRolloutJobs(rolloutId: string): Promise<RolloutJobRecord[]> {
    if (!UUID.test(rolloutId)) return [];
    const rows = await this.client.query(
      `SELECT ${JOB_COLUMNS} FROM ota_jobs WHERE rollout_id = $1 ORDER BY ordinal`,
      [rolloutId],
    );
    return rows.map(toJob);
  }

  async getOtaJob(jobId: string): Promise<RolloutJobRecord | undefined> {
    if (!UUID.test(jobId)) return undefined;
    const rows = await this.client.query(`SELECT ${JOB_COLUMNS} FROM ota_jobs WHERE job_id = $1`, [
      jobId,
    ]);
    return rows[0] && toJob(rows[0]);
  }

  async listDeviceOtaJobs(deviceId: string): Promise<RolloutJobRecord[]> {
    const rows = await this.client.query(
      `SELECT ${JOB_COLUMNS.replace(/(\w+)/g, 'j.$1')} FROM ota_jobs j
       JOIN ota_rollouts r ON r.rollout_id = j.rollout_id
       WHERE j.device_id = $1 ORDER BY r.created_at DESC, r.rollout_id DESC`,
      [deviceId],
    );
    return rows.map(toJob);
  }

  async listOtaTargets(filter: TargetFilter): Promise<OtaTarget[]> {
    const rows = await this.client.query(
      `SELECT device_id, store_id, device_class, hardware_rev, firmware_version, ca_generations,
         last_seen_at
       FROM devices d WHERE ${TARGET_WHERE} ORDER BY device_id`,
      targetParams(filter),
    );
    return rows.map((r) => ({
      deviceId: String(r['device_id']),
      storeId: String(r['store_id']),
      deviceClass: r['device_class'] as DeviceClass,
      hardwareRev: toStringOrNull(r['hardware_rev']),
      firmwareVersion: toStringOrNull(r['firmware_version']),
      caGenerations: Array.isArray(r['ca_generations'])
        ? (r['ca_generations'] as unknown[]).map(toNumber)
        : [],
      lastSeenAt: ms(r['last_seen_at']),
    }));
  }

  async getStoreSchedules(storeIds: readonly string[]): Promise<StoreSchedule[]> {
    if (storeIds.length === 0) return [];
    const rows = await this.client.query(
      `SELECT s.store_id, s.timezone, s.opening_hours, w.windows FROM stores s
       LEFT JOIN store_maintenance_windows w ON w.store_id = s.store_id
       WHERE s.store_id = ANY($1::text[]) ORDER BY s.store_id`,
      [[...storeIds]],
    );
    return rows.map((r) => ({
      storeId: String(r['store_id']),
      timezone: toStringOrNull(r['timezone']),
      windows: Array.isArray(r['windows']) ? (r['windows'] as unknown[]).map(String) : [],
      openingHours: toOpeningHours(r['opening_hours']),
    }));
  }

  async setOpeningHours(
    storeId: string,
    hours: OpeningHours | null,
    timezone: string | undefined,
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    await this.client.query(
      `INSERT INTO stores AS s (store_id, timezone, opening_hours, updated_at)
       VALUES ($1, $2, $3::jsonb, $5)
       ON CONFLICT (store_id) DO UPDATE SET opening_hours = EXCLUDED.opening_hours,
         timezone = COALESCE($2, s.timezone), opening_hours_by = $4, updated_at = EXCLUDED.updated_at`,
      [
        storeId,
        timezone ?? null,
        hours === null ? null : JSON.stringify(hours),
        change.by,
        iso(change.at),
      ],
    );
  }

  async setMaintenanceWindows(
    storeId: string,
    windows: readonly string[],
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    await this.client.transaction(async (tx) => {
      await tx.query('INSERT INTO stores (store_id) VALUES ($1) ON CONFLICT DO NOTHING', [storeId]);
      await tx.query(
        `INSERT INTO store_maintenance_windows (store_id, windows, updated_by, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (store_id) DO UPDATE SET windows = EXCLUDED.windows,
           updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
        [storeId, [...windows], change.by, iso(change.at)],
      );
    });
  }

  /**
   * Device-hours are approximate: a targeted device whose current firmware is the version and
   * that was seen at or after the window's start counts for the whole window. The store keeps
   * current state, not each device's version history, so a device that updated during the window
   * counts all of it on its new version (the new version's rate reads a little low for the first
   * window after a cohort updates; later windows are exact while devices stay in touch).
   */
  async measureVersionHealth(query: HealthQuery): Promise<VersionHealthSample> {
    const params = [...targetParams(query.targets), query.version, iso(query.from), iso(query.to)];
    const n = params.length;
    const [events] = await this.client.query(
      `SELECT count(*) FILTER (WHERE e.firmware_version = $${n - 2}) AS target,
         count(*) FILTER (WHERE e.firmware_version <> $${n - 2}) AS others
       FROM ota_health_events e JOIN devices d ON d.device_id = e.device_id
       WHERE ${TARGET_WHERE} AND e.at >= $${n - 1} AND e.at < $${n}`,
      params,
    );
    const [seen] = await this.client.query(
      `SELECT count(*) FILTER (WHERE d.firmware_version = $${n - 2}) AS target,
         count(*) FILTER (WHERE d.firmware_version <> $${n - 2}) AS others
       FROM devices d
       WHERE ${TARGET_WHERE} AND d.last_seen_at >= $${n - 1} AND d.firmware_version IS NOT NULL`,
      params.slice(0, n - 1),
    );
    const hours = Math.max(0, query.to - query.from) / HOUR_MS;
    return {
      target: {
        events: toNumber(events?.['target']),
        deviceHours: toNumber(seen?.['target']) * hours,
      },
      others: {
        events: toNumber(events?.['others']),
        deviceHours: toNumber(seen?.['others']) * hours,
      },
    };
  }
}

const TARGET_WHERE = `d.device_class = $1
  AND ($2::text[] IS NULL OR d.store_id = ANY($2::text[]))
  AND ($3::text[] IS NULL OR d.hardware_rev = ANY($3::text[]))
  AND ($4::text[] IS NULL OR d.device_id = ANY($4::text[]))`;

function targetParams(filter: TargetFilter): unknown[] {
  const list = (xs: readonly string[] | undefined) => (xs === undefined ? null : [...xs]);
  return [
    filter.deviceClass,
    list(filter.storeIds),
    list(filter.hardwareRevs),
    list(filter.deviceIds),
  ];
}

/** jsonb comes back parsed from pg and PGlite; a text value is parsed here. */
function toOpeningHours(value: unknown): OpeningHours | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as OpeningHours;
}

function rolloutRow(r: RolloutRecord): unknown[] {
  return [
    r.rolloutId,
    r.deviceClass,
    r.targetVersion,
    r.state,
    iso(r.createdAt),
    iso(r.updatedAt),
    JSON.stringify(r),
  ];
}

/** pg parses jsonb; PGlite does too, but a text column would come back a string. */
function toRollout(value: unknown): RolloutRecord {
  return (typeof value === 'string' ? JSON.parse(value) : value) as RolloutRecord;
}

const UPSERT_JOBS = `
INSERT INTO ota_jobs AS j (${JOB_COLUMNS})
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int4[], $6::text[],
  $7::text[], $8::int4[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[],
  $12::timestamptz[])
ON CONFLICT (job_id) DO UPDATE SET state = EXCLUDED.state, detail = EXCLUDED.detail,
  attempts = EXCLUDED.attempts, first_sent_at = EXCLUDED.first_sent_at,
  last_sent_at = EXCLUDED.last_sent_at, last_status_at = EXCLUDED.last_status_at,
  finished_at = EXCLUDED.finished_at`;

function jobColumns(jobs: readonly RolloutJobRecord[]): unknown[][] {
  return [
    jobs.map((j) => j.jobId),
    jobs.map((j) => j.rolloutId),
    jobs.map((j) => j.deviceId),
    jobs.map((j) => j.storeId),
    jobs.map((j) => j.ordinal),
    jobs.map((j) => j.state),
    jobs.map((j) => j.detail),
    jobs.map((j) => j.attempts),
    jobs.map((j) => iso(j.firstSentAt)),
    jobs.map((j) => iso(j.lastSentAt)),
    jobs.map((j) => iso(j.lastStatusAt)),
    jobs.map((j) => iso(j.finishedAt)),
  ];
}

function toJob(r: Record<string, unknown>): RolloutJobRecord {
  return {
    jobId: String(r['job_id']),
    rolloutId: String(r['rollout_id']),
    deviceId: String(r['device_id']),
    storeId: String(r['store_id']),
    ordinal: toNumber(r['ordinal']),
    state: r['state'] as OtaJobState,
    detail: toStringOrNull(r['detail']),
    attempts: toNumber(r['attempts']),
    firstSentAt: ms(r['first_sent_at']),
    lastSentAt: ms(r['last_sent_at']),
    lastStatusAt: ms(r['last_status_at']),
    finishedAt: ms(r['finished_at']),
  };
}
