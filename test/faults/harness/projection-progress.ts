// How far the running platform's entity projection is behind its telemetry store, read from
// outside: the newest stored seq and the projection log's cursor, each a SQLite file in WAL mode
// that another process may read while the platform writes.
import { existsSync } from 'node:fs';
import { platformLayout } from '../../../src/platform/platform-layout.js';
import { SqliteDatabase } from '../../../src/stores/data-dir/sqlite-driver.js';

export interface ProjectionProgress {
  /** The newest seq in the telemetry store. */
  readonly stored: number;
  /** The projection log's cursor: every seq up to it is applied to the entity store. */
  readonly projected: number;
}

export function projectionProgress(dataDir: string): ProjectionProgress | undefined {
  const layout = platformLayout(dataDir);
  if (!existsSync(layout.telemetryDb) || !existsSync(layout.projectionDb)) return undefined;
  const read = (file: string, sql: string): number => {
    const db = new SqliteDatabase(file, { readonly: true, timeout: 2000 });
    try {
      const row = db.prepare(sql).get() as { n: number | null } | undefined;
      return row?.n ?? 0;
    } finally {
      db.close();
    }
  };
  try {
    return {
      stored: read(layout.telemetryDb, 'SELECT MAX(seq) AS n FROM events'),
      projected: read(layout.projectionDb, 'SELECT seq AS n FROM cursor WHERE id = 1'),
    };
  } catch {
    // A table not created yet, or the file held for a moment: no reading this time.
    return undefined;
  }
}
