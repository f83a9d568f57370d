import type { AuditLog, AuditVerification } from '../../stores/audit/audit-log.js';

export const ACCESS_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
const CHUNK = 1000;

export interface AccessSummary {
  readonly since: string;
  readonly total: number;
  readonly byAction: Record<string, number>;
  /** Each (action, purpose) pair with its count, most frequent first. */
  readonly byPurpose: {
    readonly action: string;
    readonly purpose: string;
    readonly count: number;
  }[];
}

/** headHash: a reviewer who keeps it can tell later whether history before it changed. */
export type ChainState = AuditVerification;

/** What was done with personal data (and to carts) over the last 30 days, by action and why. */
export async function accessSummary(audit: AuditLog, now: number): Promise<AccessSummary> {
  const since = new Date(now - ACCESS_WINDOW_DAYS * DAY_MS);
  const byAction: Record<string, number> = {};
  const pairs = new Map<string, { action: string; purpose: string; count: number }>();
  let total = 0;
  let afterSeq = 0;
  for (;;) {
    const chunk = await audit.query({ since, afterSeq, limit: CHUNK });
    for (const record of chunk) {
      total++;
      byAction[record.action] = (byAction[record.action] ?? 0) + 1;
      const key = `${record.action}\u0000${record.purpose}`;
      const pair = pairs.get(key) ?? { action: record.action, purpose: record.purpose, count: 0 };
      pair.count++;
      pairs.set(key, pair);
    }
    const last = chunk[chunk.length - 1];
    if (chunk.length < CHUNK || !last) break;
    afterSeq = last.seq;
  }
  return {
    since: since.toISOString(),
    total,
    byAction,
    byPurpose: [...pairs.values()].sort(
      (a, b) =>
        b.count - a.count || a.action.localeCompare(b.action) || a.purpose.localeCompare(b.purpose),
    ),
  };
}

/** Walks the chain; the verification names the head's hash. */
export function chainState(audit: AuditLog): Promise<ChainState> {
  return audit.verify();
}
