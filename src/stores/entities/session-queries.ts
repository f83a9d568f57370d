import type { CarriedBasket, SessionLink, SessionPage, StoreSessionQuery } from './entity-store.js';
import { SESSION_VIEW_FROM, toSessionView } from './session-view.js';
import type { SqlExecutor } from './sql/sql-client.js';
import { toIso, toStringOrNull } from './sql/values.js';

// Keyset paging on (started_at, session_id), newest first: the index sessions_by_store_page is
// read backwards, and a page costs the same however deep it is. NULL parameters switch a filter off.
const STORE_SESSIONS_SQL = `${SESSION_VIEW_FROM}
WHERE s.store_id = $1
  AND ($2::timestamptz IS NULL OR s.started_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR s.started_at < $3::timestamptz)
  AND ($4::text IS NULL OR s.status = $4::text)
  AND ($5::timestamptz IS NULL OR (s.started_at, s.session_id) < ($5::timestamptz, $6::uuid))
ORDER BY s.started_at DESC, s.session_id DESC
LIMIT $7`;

export async function listStoreSessions(
  db: SqlExecutor,
  storeId: string,
  query: StoreSessionQuery,
): Promise<SessionPage> {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const rows = await db.query(STORE_SESSIONS_SQL, [
    storeId,
    iso(query.since),
    iso(query.until),
    query.status ?? null,
    query.after?.startedAt ?? null,
    query.after?.sessionId ?? null,
    query.limit + 1,
  ]);
  const sessions = rows.slice(0, query.limit).map(toSessionView);
  const last = sessions[sessions.length - 1];
  return {
    sessions,
    next:
      rows.length > query.limit && last
        ? { startedAt: toIso(last.startedAt), sessionId: last.sessionId }
        : null,
  };
}

const SESSION_LINK_SQL = `
SELECT s.session_id, s.device_id, s.store_id, s.status, s.customer_ref, s.merged_into,
  (SELECT COALESCE(json_agg(json_build_object('from', m.session_id, 'lines', m.contents)
      ORDER BY m.ended_at, m.session_id), '[]'::json)
     FROM sessions m WHERE m.merged_into = s.session_id) AS carried
FROM sessions s WHERE s.session_id = $1 AND s.customer_ref IS NOT NULL`;

export async function getSessionLink(
  db: SqlExecutor,
  sessionId: string,
): Promise<SessionLink | undefined> {
  const [row] = await db.query(SESSION_LINK_SQL, [sessionId]);
  if (!row) return undefined;
  const carried = row['carried'];
  const baskets = (typeof carried === 'string' ? JSON.parse(carried) : carried) as {
    from: string;
    lines: CarriedBasket['lines'] | null;
  }[];
  const status = String(row['status']);
  return {
    sessionId: String(row['session_id']),
    deviceId: String(row['device_id']),
    storeId: String(row['store_id']),
    open: status === 'active' || status === 'paused',
    customerRef: String(row['customer_ref']),
    carried: baskets.map((b) => ({ fromSessionId: String(b.from), lines: b.lines ?? [] })),
    mergedInto: toStringOrNull(row['merged_into']),
  };
}
