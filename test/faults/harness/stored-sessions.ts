// What the entity store holds for planned shopping trips, read once the platform has stopped
// cleanly, against what the devices were told: each acknowledged session-start is a session,
// each acknowledged scan one scan row (and counted once in the session's totals), each
// acknowledged session-end the session's end.
import { openEntityStore } from '../../../src/stores/entities/open-entity-store.js';
import type { AcknowledgedLedger } from './ledger-load.js';
import type { PlannedTrip } from './message-plans.js';

export interface ProjectionComparison {
  readonly acknowledged: number;
  /** Acknowledged events whose effect the entity store shows. */
  readonly stored: number;
  readonly lost: number;
  /** Events applied more than once: extra scan rows, and scans or cents counted twice in totals. */
  readonly duplicated: number;
  readonly sessions: number;
  readonly scans: number;
  /** Sessions whose totals disagree with their scan rows (each a short description). */
  readonly mismatches: readonly string[];
  readonly lostSample: readonly string[];
}

export async function compareProjection(
  dataDir: string,
  ledger: AcknowledgedLedger,
  trips: readonly PlannedTrip[],
): Promise<ProjectionComparison> {
  const store = await openEntityStore({ dataDir });
  try {
    let acknowledged = 0;
    let stored = 0;
    let duplicated = 0;
    let sessions = 0;
    let scans = 0;
    const mismatches: string[] = [];
    const lostSample: string[] = [];
    const lost = (what: string) => {
      if (lostSample.length < 5) lostSample.push(what);
    };
    for (const trip of trips) {
      const acked = ledger.acknowledged.get(trip.deviceId) ?? new Map();
      const session = await store.getSession(trip.sessionId);
      const rows = session ? await store.listSessionScans(trip.sessionId) : [];
      if (session) sessions++;
      scans += rows.length;
      if (acked.has(trip.startCounter)) {
        acknowledged++;
        if (session) stored++;
        else lost(`session-start ${trip.deviceId}#${trip.startCounter}`);
      }
      const copies = new Map<number, number>();
      for (const row of rows) copies.set(row.counter, (copies.get(row.counter) ?? 0) + 1);
      for (const n of copies.values()) duplicated += n - 1;
      for (const counter of trip.scanCounters) {
        if (!acked.has(counter)) continue;
        acknowledged++;
        if (copies.has(counter)) stored++;
        else lost(`scan ${trip.deviceId}#${counter}`);
      }
      if (acked.has(trip.endCounter)) {
        acknowledged++;
        if (session?.endedAt) stored++;
        else lost(`session-end ${trip.deviceId}#${trip.endCounter}`);
      }
      if (session) {
        // Totals are running sums: a scan applied twice shows here even if its row is unique.
        const extraScans = session.scanCount - rows.length;
        if (extraScans > 0) duplicated += extraScans;
        const rowCents = rows.reduce(
          (sum, r) => sum + (r.action === 'add' ? 1 : -1) * r.quantity * (r.priceCents ?? 0),
          0,
        );
        if (extraScans !== 0 || session.subtotalCents !== rowCents) {
          mismatches.push(
            `${trip.sessionId}: scan_count ${session.scanCount} for ${rows.length} rows, subtotal ${session.subtotalCents} for ${rowCents}`,
          );
        }
      }
    }
    return {
      acknowledged,
      stored,
      lost: acknowledged - stored,
      duplicated,
      sessions,
      scans,
      mismatches,
      lostSample,
    };
  } finally {
    await store.close();
  }
}
