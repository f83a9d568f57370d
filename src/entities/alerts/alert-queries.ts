import type { SqlExecutor } from '../sql/sql-client.js';
import { toIso, toNumber } from '../sql/values.js';
import type { AlertKind, AlertPage, AlertView, NewAlert, StoreAlertQuery } from './alert-types.js';

const RECORD_SQL = `
INSERT INTO alerts (store_id, device_id, session_id, counter, kind, at, evidence)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
ON CONFLICT (kind, session_id, device_id, counter) DO NOTHING
RETURNING id`;

/** True when the alert is new; a replayed event raises nothing again. */
export async function recordAlert(db: SqlExecutor, alert: NewAlert): Promise<boolean> {
  const rows = await db.query(RECORD_SQL, [
    alert.storeId,
    alert.deviceId,
    alert.sessionId,
    alert.counter,
    alert.kind,
    new Date(alert.at).toISOString(),
    JSON.stringify(alert.evidence),
  ]);
  return rows.length > 0;
}

// Keyset paging on (at, id), newest first, over alerts_by_store read backwards. NULL parameters
// switch a filter off.
const STORE_ALERTS_SQL = `
SELECT id, store_id, device_id, session_id, counter, kind, at, evidence FROM alerts
WHERE store_id = $1
  AND ($2::timestamptz IS NULL OR at >= $2::timestamptz)
  AND ($3::text IS NULL OR kind = $3::text)
  AND ($4::timestamptz IS NULL OR (at, id) < ($4::timestamptz, $5::uuid))
ORDER BY at DESC, id DESC
LIMIT $6`;

export async function listStoreAlerts(
  db: SqlExecutor,
  storeId: string,
  query: StoreAlertQuery,
): Promise<AlertPage> {
  const rows = await db.query(STORE_ALERTS_SQL, [
    storeId,
    query.since === undefined ? null : new Date(query.since).toISOString(),
    query.kind ?? null,
    query.after?.at ?? null,
    query.after?.id ?? null,
    query.limit + 1,
  ]);
  const alerts = rows.slice(0, query.limit).map(toAlertView);
  const last = alerts[alerts.length - 1];
  return {
    alerts,
    next: rows.length > query.limit && last ? { at: last.at, id: last.id } : null,
  };
}

function toAlertView(row: Record<string, unknown>): AlertView {
  const evidence = row['evidence'];
  return {
    id: String(row['id']),
    storeId: String(row['store_id']),
    deviceId: String(row['device_id']),
    sessionId: String(row['session_id']),
    counter: toNumber(row['counter']),
    kind: row['kind'] as AlertKind,
    at: toIso(row['at']),
    evidence: (typeof evidence === 'string' ? JSON.parse(evidence) : evidence) as Record<
      string,
      unknown
    >,
  };
}
