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
 * A store added to the registry while the platform runs reaches the entity store with its name,
 * region and time zone at its first device's connection (start copies only the stores it finds);
 * without that, its carts would have no region and region filters would miss them.
 */
export function connectionRecorder(options: {
  readonly entities: EntityStore;
  readonly directory: Pick<RegistryDeviceDirectory, 'invalidate'>;
  readonly live: LivePublisher;
  readonly log: Logger;
  readonly stores: Pick<StoreRegistry, 'get'>;
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
  return {
    connected: (device, at) => {
      options.directory.invalidate(device.deviceId);
      syncStore(device.storeId)
        .then(() => entities.upsertDevice(device))
        .then(() => entities.recordConnection(device.deviceId, true, at))
        .then(() => told(device, true, at))
        .catch((error: unknown) =>
          log.error({ err: error, device_id: device.deviceId }, 'could not record a connection'),
        );
    },
    disconnected: (device, at) => {
      entities
        .recordConnection(device.deviceId, false, at)
        .then(() => told(device, false, at))
        .catch((error: unknown) =>
          log.error({ err: error, device_id: device.deviceId }, 'could not record a disconnection'),
        );
    },
  };
}
