import type { ConnectionListener } from '../broker/device-broker.js';
import type { EntityStore } from '../entities/entity-store.js';
import type { RegistryDeviceDirectory } from '../ingest/device-directory.js';
import type { Logger } from '../observability/logger.js';

/**
 * Records the embedded broker's connects and disconnects in the entity store (a device's
 * `connected` and last seen), and forgets the directory's cached view of a device that connects
 * (it may come back with a renewed certificate). A failed write is logged, never thrown into the
 * broker's connection handling.
 */
export function connectionRecorder(deps: {
  readonly entities: EntityStore;
  readonly directory: Pick<RegistryDeviceDirectory, 'invalidate'>;
  readonly log: Logger;
}): ConnectionListener {
  const { entities, directory, log } = deps;
  const failed = (deviceId: string, what: string) => (error: unknown) =>
    log.error({ err: error, device_id: deviceId }, `could not record a ${what}`);
  return {
    connected: (device, at) => {
      directory.invalidate(device.deviceId);
      entities
        .upsertDevice(device)
        .then(() => entities.recordConnection(device.deviceId, true, at))
        .catch(failed(device.deviceId, 'connection'));
    },
    disconnected: (device, at) => {
      entities
        .recordConnection(device.deviceId, false, at)
        .catch(failed(device.deviceId, 'disconnection'));
    },
  };
}
