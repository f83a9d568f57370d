import type { AdmittedDevice } from './entity-store.js';
import type { SqlExecutor } from './sql/sql-client.js';

/** A connect or a disconnect the broker reported. */
export interface ConnectionEvent {
  readonly deviceId: string;
  readonly connected: boolean;
  /** When it happened (ms since epoch). */
  readonly at: number;
}

/** Devices admitted and connection changes, written together. */
export interface ConnectionBatch {
  readonly admitted: readonly AdmittedDevice[];
  readonly events: readonly ConnectionEvent[];
}

/**
 * Writes a batch of admissions and connection changes in three statements, whatever its size. A
 * fleet reconnecting at once reported each connection in its own transaction of three statements:
 * thousands of commits that kept the entity thread busy for about 6 ms a connection.
 * Order-tolerant, as one at a time was: a device ends in the state of its latest event, and
 * last-seen only moves forward. An event for a device the store does not know is ignored.
 */
export async function writeConnections(tx: SqlExecutor, batch: ConnectionBatch): Promise<void> {
  const admitted = latestPerDevice(batch.admitted);
  if (admitted.length > 0) {
    await tx.query(
      'INSERT INTO stores (store_id) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING',
      [admitted.map((d) => d.storeId)],
    );
    // Runs on every connect: writes only when the certificate says something new.
    await tx.query(
      `INSERT INTO devices AS d (device_id, store_id, device_class, cert_serial)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (device_id) DO UPDATE SET store_id = EXCLUDED.store_id,
         device_class = EXCLUDED.device_class, cert_serial = EXCLUDED.cert_serial,
         updated_at = now()
       WHERE (d.store_id, d.device_class, d.cert_serial)
         IS DISTINCT FROM (EXCLUDED.store_id, EXCLUDED.device_class, EXCLUDED.cert_serial)`,
      [
        admitted.map((d) => d.deviceId),
        admitted.map((d) => d.storeId),
        admitted.map((d) => d.deviceClass),
        admitted.map((d) => d.certSerialHex),
      ],
    );
  }
  const events = latestEvents(batch.events);
  if (events.length === 0) return;
  await tx.query(
    `UPDATE devices d SET
       connected = CASE WHEN d.connection_changed_at IS NULL OR e.at >= d.connection_changed_at
         THEN e.connected ELSE d.connected END,
       connection_changed_at = GREATEST(d.connection_changed_at, e.at),
       last_seen_at = GREATEST(d.last_seen_at, e.at),
       updated_at = now()
     FROM unnest($1::text[], $2::boolean[], $3::timestamptz[]) AS e(device_id, connected, at)
     WHERE d.device_id = e.device_id`,
    [
      events.map((e) => e.deviceId),
      events.map((e) => e.connected),
      events.map((e) => new Date(e.at).toISOString()),
    ],
  );
}

/** The last admission of each device in the batch (an UPSERT may touch a row only once). */
function latestPerDevice(devices: readonly AdmittedDevice[]): AdmittedDevice[] {
  const byId = new Map<string, AdmittedDevice>();
  for (const d of devices) byId.set(d.deviceId, d);
  return [...byId.values()];
}

/**
 * Each device's latest event (ties: the one reported last), since an UPDATE … FROM applies only
 * one source row per target row.
 */
function latestEvents(events: readonly ConnectionEvent[]): ConnectionEvent[] {
  const byId = new Map<string, ConnectionEvent>();
  for (const e of events) {
    const known = byId.get(e.deviceId);
    if (!known || e.at >= known.at) byId.set(e.deviceId, e);
  }
  return [...byId.values()];
}
