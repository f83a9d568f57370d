import { randomUUID } from 'node:crypto';
import type { SqlClient, SqlExecutor } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toStringOrNull } from '../sql/values.js';
import type {
  AlarmHistoryEntry,
  AlarmQuery,
  AlarmRecords,
  AlarmSeverity,
  AlarmState,
  AlarmTransitionResult,
  AlarmView,
  RaiseAlarm,
  RaiseOutcome,
  StoredRuleSet,
} from './alarm-records.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * AlarmRecords over any SqlClient (PGlite or a PostgreSQL server). SqlEntityStore inherits these
 * methods, as it inherits the console's.
 */
export class SqlAlarmRecords implements AlarmRecords {
  constructor(protected readonly client: SqlClient) {}

  raiseAlarm(raise: RaiseAlarm): Promise<RaiseOutcome> {
    return this.client.transaction(async (tx) => {
      const [latest] = await tx.query(
        `SELECT * FROM alarms WHERE alarm_key = $1 ORDER BY first_at DESC, alarm_id DESC LIMIT 1
         FOR UPDATE`,
        [raise.key],
      );
      // Projection may hand the same message over again (a restart, a replayed dead letter):
      // counters only grow per device, so one not past the newest alarm's is a repeat.
      if (latest && isRepeat(latest['last_counter'], raise.counter)) {
        return { alarm: alarmView(latest), opened: false };
      }
      if (latest && latest['state'] !== 'resolved') {
        const [row] = await tx.query(
          `UPDATE alarms SET last_at = greatest(last_at, $2), seen = seen + 1,
             last_counter = coalesce($3, last_counter), reading = $4
           WHERE alarm_id = $1 RETURNING *`,
          [latest['alarm_id'], iso(raise.at), raise.counter, JSON.stringify(raise.reading)],
        );
        return { alarm: alarmView(row!), opened: false };
      }
      const id = randomUUID();
      const [row] = await tx.query(
        `INSERT INTO alarms (alarm_id, alarm_key, rule_id, severity, store_id, device_id,
           first_at, last_at, last_counter, reading)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING *`,
        [
          id,
          raise.key,
          raise.ruleId,
          raise.severity,
          raise.storeId,
          raise.deviceId,
          iso(raise.at),
          raise.counter,
          JSON.stringify(raise.reading),
        ],
      );
      await addEvent(tx, id, raise.at, 'fired', 'rule', raise.reading);
      return { alarm: alarmView(row!), opened: true };
    });
  }

  clearAlarm(key: string, at: number, by: string): Promise<AlarmView | undefined> {
    return this.client.transaction(async (tx) => {
      const [row] = await tx.query(
        `UPDATE alarms SET state = 'resolved', resolved_by = $3, resolved_at = $2
         WHERE alarm_key = $1 AND state <> 'resolved' RETURNING *`,
        [key, iso(at), by],
      );
      if (!row) return undefined;
      await addEvent(tx, String(row['alarm_id']), at, 'resolved', by, null);
      return alarmView(row);
    });
  }

  transitionAlarm(
    id: string,
    change: { readonly to: 'acknowledged' | 'resolved'; readonly by: string; readonly at: number },
  ): Promise<AlarmTransitionResult> {
    return this.client.transaction(async (tx) => {
      const [current] = await tx.query('SELECT * FROM alarms WHERE alarm_id = $1 FOR UPDATE', [id]);
      if (!current) return { ok: false, reason: 'unknown-alarm' } as const;
      const from = current['state'] as AlarmState;
      const allowed = change.to === 'acknowledged' ? from === 'firing' : from !== 'resolved';
      if (!allowed) return { ok: false, reason: 'state', alarm: alarmView(current) } as const;
      const [row] = await tx.query(
        change.to === 'acknowledged'
          ? `UPDATE alarms SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3
             WHERE alarm_id = $1 RETURNING *`
          : `UPDATE alarms SET state = 'resolved', resolved_by = $2, resolved_at = $3
             WHERE alarm_id = $1 RETURNING *`,
        [id, change.by, iso(change.at)],
      );
      await addEvent(tx, id, change.at, change.to, change.by, null);
      return { ok: true, alarm: alarmView(row!) } as const;
    });
  }

  async listAlarms(query: AlarmQuery): Promise<AlarmView[]> {
    const rows = await this.client.query(
      `SELECT * FROM alarms
       WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR store_id = $2)
       ORDER BY last_at DESC, alarm_id DESC LIMIT $3`,
      [query.state ?? null, query.storeId ?? null, query.limit],
    );
    return rows.map(alarmView);
  }

  async getAlarm(
    id: string,
  ): Promise<{ alarm: AlarmView; history: AlarmHistoryEntry[] } | undefined> {
    const [row] = await this.client.query('SELECT * FROM alarms WHERE alarm_id = $1', [id]);
    if (!row) return undefined;
    const events = await this.client.query(
      'SELECT * FROM alarm_events WHERE alarm_id = $1 ORDER BY at, change',
      [id],
    );
    return {
      alarm: alarmView(row),
      history: events.map((e) => ({
        at: toIso(e['at']),
        change: e['change'] as AlarmHistoryEntry['change'],
        by: String(e['by_whom']),
        reading: readingOrNull(e['reading']),
      })),
    };
  }

  async openAlarmKeys(): Promise<string[]> {
    const rows = await this.client.query(
      `SELECT alarm_key FROM alarms WHERE state <> 'resolved' ORDER BY alarm_key`,
    );
    return rows.map((r) => String(r['alarm_key']));
  }

  async listRuleSets(): Promise<StoredRuleSet[]> {
    const rows = await this.client.query('SELECT * FROM rule_sets ORDER BY profile');
    return rows.map(ruleSetView);
  }

  async putRuleSet(
    profile: string,
    document: unknown,
    by: string,
    at: number,
  ): Promise<StoredRuleSet> {
    const [row] = await this.client.query(
      `INSERT INTO rule_sets (profile, document, version, updated_at, updated_by)
       VALUES ($1, $2, 1, $3, $4)
       ON CONFLICT (profile) DO UPDATE SET document = EXCLUDED.document,
         version = rule_sets.version + 1, updated_at = EXCLUDED.updated_at,
         updated_by = EXCLUDED.updated_by
       RETURNING *`,
      [profile, JSON.stringify(document), iso(at), by],
    );
    return ruleSetView(row!);
  }
}

function isRepeat(lastCounter: unknown, counter: number | null): boolean {
  return counter !== null && lastCounter !== null && counter <= toNumber(lastCounter);
}

async function addEvent(
  tx: SqlExecutor,
  id: string,
  at: number,
  change: AlarmHistoryEntry['change'],
  by: string,
  reading: Readonly<Record<string, unknown>> | null,
): Promise<void> {
  await tx.query(
    'INSERT INTO alarm_events (alarm_id, at, change, by_whom, reading) VALUES ($1, $2, $3, $4, $5)',
    [id, iso(at), change, by, reading === null ? null : JSON.stringify(reading)],
  );
}

function readingOrNull(value: unknown): Readonly<Record<string, unknown>> | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

function alarmView(row: Record<string, unknown>): AlarmView {
  return {
    id: String(row['alarm_id']),
    key: String(row['alarm_key']),
    ruleId: String(row['rule_id']),
    severity: row['severity'] as AlarmSeverity,
    storeId: String(row['store_id']),
    deviceId: toStringOrNull(row['device_id']),
    state: row['state'] as AlarmState,
    firstAt: toIso(row['first_at']),
    lastAt: toIso(row['last_at']),
    seen: toNumber(row['seen']),
    reading: readingOrNull(row['reading']) ?? {},
    acknowledgedBy: toStringOrNull(row['acknowledged_by']),
    acknowledgedAt: toIsoOrNull(row['acknowledged_at']),
    resolvedBy: toStringOrNull(row['resolved_by']),
    resolvedAt: toIsoOrNull(row['resolved_at']),
  };
}

function ruleSetView(row: Record<string, unknown>): StoredRuleSet {
  return {
    profile: String(row['profile']),
    document: readingOrNull(row['document']),
    version: toNumber(row['version']),
    updatedAt: toIso(row['updated_at']),
    updatedBy: String(row['updated_by']),
  };
}
