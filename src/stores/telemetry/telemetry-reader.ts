import SqliteDatabase, { type Database, type Statement } from 'better-sqlite3';
import type { DeviceMessageType } from '../../contract/index.js';
import { toStoredEvent, type EventRow } from './sqlite-telemetry-store.js';
import type { StoredEvent, TelemetryStore } from './telemetry-store.js';

/** One stored event as an export reads it. */
export interface ExportedEvent {
  readonly seq: number;
  readonly deviceId: string;
  readonly storeId: string;
  readonly counter: number;
  /** The device's own timestamp (ms since epoch). */
  readonly deviceTime: number;
  /** The message as it was verified and stored (JSON). */
  readonly body: string;
}

const PAGE = 2000;

/**
 * A read-only view of a data directory's telemetry store for exports. It may run beside the
 * platform that writes the store: the file is in WAL mode, so readers see a consistent snapshot
 * and never block the writer. Reads in pages by sequence rather than one long statement, so an
 * export that takes minutes does not hold one snapshot (and the WAL) for all of them.
 */
export class SqliteTelemetryReader implements Pick<TelemetryStore, 'eventsAfter'> {
  readonly #db: Database;

  constructor(file: string) {
    this.#db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    this.#db.pragma('busy_timeout = 5000');
  }

  /** Events of one type with device time at or after `since` (ms since epoch), in storage order. */
  async *eventsOfType(type: DeviceMessageType, since: number): AsyncGenerator<ExportedEvent> {
    const page = this.#db.prepare(
      `SELECT seq, device_id, store_id, counter, device_time, body FROM events
       WHERE seq > ? AND type = ? AND device_time >= ? ORDER BY seq LIMIT ${PAGE}`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all(after, type, since) as {
        seq: number;
        device_id: string;
        store_id: string;
        counter: number;
        device_time: number;
        body: string;
      }[];
      for (const r of rows) {
        yield {
          seq: r.seq,
          deviceId: r.device_id,
          storeId: r.store_id,
          counter: r.counter,
          deviceTime: r.device_time,
          body: r.body,
        };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  #feed: Statement | undefined;

  /**
   * The port's change feed, read-only: what the Parquet export reads (decision 057). Without the
   * signatures, which no export writes: reading 64-byte blobs it drops cost a tenth of its time.
   */
  eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    this.#feed ??= this.#db.prepare(
      `SELECT seq, device_id, counter, store_id, device_class, type, device_time, received_at,
              body, x'' AS signature
       FROM events WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    return Promise.resolve((this.#feed.all(seq, limit) as EventRow[]).map(toStoredEvent));
  }

  close(): void {
    this.#db.close();
  }
}
