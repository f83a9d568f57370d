// What the platform holds afterwards, read from its data directory once it has stopped cleanly
// (the telemetry store is one SQLite file; nothing else may hold it open), and the comparison
// with what the devices were told: lost is acknowledged but absent, duplicated is any extra copy.
import { platformLayout } from '../../../src/platform/platform-layout.js';
import { SqliteDatabase } from '../../../src/stores/data-dir/sqlite-driver.js';
import type { AcknowledgedLedger } from './ledger-load.js';

/** Copies stored per device and counter. */
export type StoredCopies = Map<string, Map<number, number>>;

export function readStoredTelemetry(dataDir: string): StoredCopies {
  const db = new SqliteDatabase(platformLayout(dataDir).telemetryDb, { readonly: true });
  try {
    const copies: StoredCopies = new Map();
    const rows = db.prepare('SELECT device_id, counter FROM events').iterate() as Iterable<{
      device_id: string;
      counter: number;
    }>;
    for (const row of rows) {
      let device = copies.get(row.device_id);
      if (!device) copies.set(row.device_id, (device = new Map()));
      device.set(row.counter, (device.get(row.counter) ?? 0) + 1);
    }
    return copies;
  } finally {
    db.close();
  }
}

export interface LedgerComparison {
  readonly acknowledged: number;
  /** Distinct acknowledged (device, counter) pairs found. */
  readonly stored: number;
  readonly lost: number;
  /** Extra copies of any stored item, acknowledged or not. */
  readonly duplicated: number;
  /** Stored but never acknowledged (the device did not hear the PUBACK): allowed, reported. */
  readonly storedUnacknowledged: number;
  /** A few lost items, for the report. */
  readonly lostSample: readonly string[];
}

/** Holds items found (with their copies) against the ledger. */
export function compareWithLedger(
  ledger: AcknowledgedLedger,
  found: StoredCopies,
): LedgerComparison {
  let acknowledged = 0;
  let stored = 0;
  let duplicated = 0;
  let storedUnacknowledged = 0;
  const lostSample: string[] = [];
  for (const [deviceId, counters] of ledger.acknowledged) {
    const copies = found.get(deviceId);
    for (const counter of counters.keys()) {
      acknowledged++;
      if ((copies?.get(counter) ?? 0) > 0) stored++;
      else if (lostSample.length < 5) lostSample.push(`${deviceId}#${counter}`);
    }
  }
  for (const [deviceId, counters] of found) {
    const acked = ledger.acknowledged.get(deviceId);
    for (const [counter, n] of counters) {
      duplicated += n - 1;
      if (!acked?.has(counter)) storedUnacknowledged++;
    }
  }
  return {
    acknowledged,
    stored,
    lost: acknowledged - stored,
    duplicated,
    storedUnacknowledged,
    lostSample,
  };
}
