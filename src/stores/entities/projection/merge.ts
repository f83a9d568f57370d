import type { SessionMerge } from '../entity-store.js';
import type { SqlExecutor } from '../sql/sql-client.js';
import type { ProjectionPlan } from './plan.js';

/** How long after a transferred session ended the customer may pick it up on another cart. */
export const MERGE_WINDOW_MS = 2 * 3_600_000;

// A transferred session A is continued by session B when both are in one store, belong to the same
// account (the identity service resolved both identifies to it: a loyalty card on one cart and the
// app on the next still match), and B was identified within the window after A ended. The pair is
// looked for from both sides, because A's end, A's identify, B's identify and the identity
// service's resolution of each can complete in any order. When A matches more than one B, the
// earliest identified wins. merged_into is written once, so a replay merges nothing again.
const MERGE = `
WITH touched AS (
  SELECT * FROM sessions WHERE session_id = ANY($1::uuid[]) AND account_id IS NOT NULL
), pairs AS (
  SELECT a.session_id AS from_id, b.session_id AS into_id, b.identified_at
  FROM touched a JOIN sessions b
    ON b.store_id = a.store_id AND b.account_id = a.account_id
  WHERE a.status = 'transferred' AND a.merged_into IS NULL AND b.session_id <> a.session_id
    AND b.identified_at >= a.ended_at
    AND b.identified_at <= a.ended_at + $2::int8 * interval '1 millisecond'
  UNION
  SELECT a.session_id, b.session_id, b.identified_at
  FROM touched b JOIN sessions a
    ON a.store_id = b.store_id AND a.account_id = b.account_id
  WHERE a.status = 'transferred' AND a.merged_into IS NULL AND b.session_id <> a.session_id
    AND b.identified_at >= a.ended_at
    AND b.identified_at <= a.ended_at + $2::int8 * interval '1 millisecond'
), chosen AS (
  SELECT DISTINCT ON (from_id) from_id, into_id FROM pairs ORDER BY from_id, identified_at, into_id
)
UPDATE sessions s SET merged_into = c.into_id, updated_at = now()
FROM chosen c WHERE s.session_id = c.from_id AND s.merged_into IS NULL
RETURNING c.from_id, c.into_id`;

/** Joins the halves of battery-swap trips among these sessions and their partners. */
export async function mergeSessions(
  tx: SqlExecutor,
  sessionIds: readonly string[],
): Promise<SessionMerge[]> {
  if (sessionIds.length === 0) return [];
  const rows = await tx.query<{ from_id: string; into_id: string }>(MERGE, [
    sessionIds,
    MERGE_WINDOW_MS,
  ]);
  return rows.map((r) => ({ fromSessionId: String(r.from_id), intoSessionId: String(r.into_id) }));
}

/**
 * After a projection batch: only sessions the batch identified or ended as transferred can make a
 * new pair, so other batches skip the statement. (A session is linked to its account by the
 * identity service, after projection; `attachAccount` merges from that side.)
 */
export function mergeTransferredSessions(
  tx: SqlExecutor,
  plan: ProjectionPlan,
): Promise<SessionMerge[]> {
  return mergeSessions(
    tx,
    plan.sessions
      .filter((s) => s.identify !== undefined || s.status?.value === 'transferred')
      .map((s) => s.sessionId),
  );
}
