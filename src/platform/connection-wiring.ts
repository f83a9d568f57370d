import type { ConnectedDevice, ConnectionListener } from '../edge/broker/device-broker.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { RegistryDeviceDirectory } from '../pipeline/ingest/device-directory.js';
import type { LivePublisher } from '../surfaces/live/live-events.js';
import type { Logger } from '../shared/observability/logger.js';
import type { StoreRegistry } from '../edge/identity/stores/store-registry.js';
import { isStoreId } from '../contract/ids.js';

/**
 * What the platform does when the embedded broker admits or loses a device: the device directory
 * forgets what it cached (the certificate may be new), the entity store records the connection
 * (registering a device admitted just in time), and open pages hear of a cart's connection.
 * Connections are written in batches: those reported while one batch is written go in the next.
 * A store added to the registry while the platform runs reaches the entity store with its name,
 * region and time zone at its first device's connection (start copies only the stores it finds);
 * without that, its carts would have no region and region filters would miss them.
 */
export function connectionRecorder(options: {
  readonly entities: Pick<EntityStore, 'recordConnections' | 'upsertStore'>;
  readonly directory: Pick<RegistryDeviceDirectory, 'invalidate'>;
  readonly live: LivePublisher;
  readonly log: Logger;
  readonly stores: Pick<StoreRegistry, 'get'>;
  /** How long the first connection of a batch waits for others (ms; 20). */
  readonly gatherMs?: number;
}): ConnectionListener {
  const { entities, live, log } = options;
  const synced = new Map<string, Promise<void>>();
  const syncStore = (storeId: string) => {
    let done = synced.get(storeId);
    if (done === undefined) {
      const lookup = isStoreId(storeId) ? options.stores.get(storeId) : Promise.resolve(undefined);
      done = lookup.then(async (store) => {
        if (store === undefined) return;
        await entities.upsertStore({
          storeId: store.id,
          name: store.name,
          region: store.region,
          timezone: store.timezone,
        });
      });
      // A failure is tried again at the next connection.
      done.catch(() => synced.delete(storeId));
      synced.set(storeId, done);
    }
    return done;
  };
  const told = (device: ConnectedDevice, connected: boolean, at: number) => {
    if (device.deviceClass !== 'cart') return;
    const { deviceId, storeId } = device;
    const when = new Date(at).toISOString();
    live.publish(
      'cart',
      { storeId, deviceId },
      { deviceId, storeId, change: 'connection', at: when, connected },
    );
  };
  // Group commit: connections reported while a write is in flight go in the next one, and a
  // write starts `gatherMs` after the first connection it carries, so a fleet reconnecting at
  // once costs a few transactions, not three statements a device (a PGlite transaction costs
  // about 2 ms however few rows it writes).
  let pending: { device: ConnectedDevice; connected: boolean; at: number }[] = [];
  let writing = false;
  const flush = async () => {
    writing = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await Promise.all(
          [...new Set(batch.filter((c) => c.connected).map((c) => c.device.storeId))].map(
            syncStore,
          ),
        );
        await entities.recordConnections({
          admitted: batch.filter((c) => c.connected).map((c) => c.device),
          events: batch.map((c) => ({
            deviceId: c.device.deviceId,
            connected: c.connected,
            at: c.at,
          })),
        });
        for (const c of batch) told(c.device, c.connected, c.at);
      } catch (error: unknown) {
        log.error({ err: error, devices: batch.length }, 'could not record connections');
      }
    }
    writing = false;
  };
  const gatherMs = options.gatherMs ?? 20;
  const report = (device: ConnectedDevice, connected: boolean, at: number) => {
    pending.push({ device, connected, at });
    if (writing) return;
    writing = true;
    setTimeout(() => void flush(), gatherMs);
  };
  return {
    connected: (device, at) => {
      options.directory.invalidate(device.deviceId);
      report(device, true, at);
    },
    disconnected: (device, at) => report(device, false, at),
  };
}
