import type { SqlExecutor } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toStringOrNull } from '../sql/values.js';
import type {
  AlertKind,
  AlertPage,
  AlertState,
  AlertTransition,
  AlertTransitionResult,
  AlertView,
  NewAlert,
  StoreAlertQuery,
} from './alert-types.js';

const ALERT_COLUMNS = `id, store_id, device_id, session_id, counter, kind, at, evidence, state,
  acknowledged_by, acknowledged_at, resolved_by, resolved_at`;

const RECORD_SQL = `
INSERT INTO alerts (store_id, device_id, session_id, counter, kind, at, evidence)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
ON CONFLICT (kind, session_id, device_id, counter) DO NOTHING
RETURNING ${ALERT_COLUMNS}`;

/** The alert as raised (open); undefined when this event raised it before (a replay). */
export async function recordAlert(
  db: SqlExecutor,
  alert: NewAlert,
): Promise<AlertView | undefined> {
  const rows = await db.query(RECORD_SQL, [
    alert.storeId,
    alert.deviceId,
    alert.sessionId,
    alert.counter,
    alert.kind,
    new Date(alert.at).toISOString(),
    JSON.stringify(alert.evidence),
  ]);
  return rows[0] === undefined ? undefined : toAlertView(rows[0]);
}

/** Any UUID, any case: a lookup by something else finds nothing instead of a type error. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getAlert(db: SqlExecutor, alertId: string): Promise<AlertView | undefined> {
  if (!UUID.test(alertId)) return undefined;
  const rows = await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [alertId]);
  return rows[0] === undefined ? undefined : toAlertView(rows[0]);
}

// One statement decides and writes, so two people acting at once cannot both move the alert from
// the same state: the second finds it moved and is told so.
const TRANSITION_SQL = `
UPDATE alerts SET
  state = $2::text,
  acknowledged_by = CASE WHEN $2::text = 'acknowledged' THEN $3::text ELSE acknowledged_by END,
  acknowledged_at = CASE WHEN $2::text = 'acknowledged' THEN $4::timestamptz
    ELSE acknowledged_at END,
  resolved_by = CASE WHEN $2::text = 'resolved' THEN $3::text ELSE resolved_by END,
  resolved_at = CASE WHEN $2::text = 'resolved' THEN $4::timestamptz ELSE resolved_at END
WHERE id = $1
  AND (($2::text = 'acknowledged' AND state = 'open')
    OR ($2::text = 'resolved' AND state IN ('open', 'acknowledged')))
RETURNING ${ALERT_COLUMNS}`;

export async function transitionAlert(
  db: SqlExecutor,
  alertId: string,
  change: AlertTransition,
): Promise<AlertTransitionResult> {
  if (!UUID.test(alertId)) return { ok: false, reason: 'unknown-alert' };
  const rows = await db.query(TRANSITION_SQL, [
    alertId,
    change.to,
    change.by,
    new Date(change.at).toISOString(),
  ]);
  if (rows[0] !== undefined) return { ok: true, alert: toAlertView(rows[0]) };
  const current = await getAlert(db, alertId);
  return current
    ? { ok: false, reason: 'state', alert: current }
    : { ok: false, reason: 'unknown-alert' };
}

// Keyset paging on (at, id), newest first, over alerts_by_store read backwards. NULL parameters
// switch a filter off.
const STORE_ALERTS_SQL = `
SELECT ${ALERT_COLUMNS} FROM alerts
WHERE store_id = $1
  AND ($2::timestamptz IS NULL OR at >= $2::timestamptz)
  AND ($3::text IS NULL OR kind = $3::text)
  AND ($4::timestamptz IS NULL OR (at, id) < ($4::timestamptz, $5::uuid))
  AND ($7::text IS NULL OR state = $7::text)
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
    query.state ?? null,
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
    state: row['state'] as AlertState,
    acknowledgedBy: toStringOrNull(row['acknowledged_by']),
    acknowledgedAt: toIsoOrNull(row['acknowledged_at']),
    resolvedBy: toStringOrNull(row['resolved_by']),
    resolvedAt: toIsoOrNull(row['resolved_at']),
  };
}
