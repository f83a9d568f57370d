import type { ConnectedDevice, ConnectionListener } from '../broker/device-broker.js';
import type { EntityStore } from '../entities/entity-store.js';
import type { RegistryDeviceDirectory } from '../ingest/device-directory.js';
import type { LivePublisher } from '../live/live-events.js';
import type { Logger } from '../observability/logger.js';

/**
 * What the platform does when the embedded broker admits or loses a device: the device directory
 * forgets what it cached (the certificate may be new), the entity store records the connection
 * (registering a device admitted just in time), and open pages hear of a cart's connection.
 */
export function connectionRecorder(options: {
  readonly entities: EntityStore;
  readonly directory: Pick<RegistryDeviceDirectory, 'invalidate'>;
  readonly live: LivePublisher;
  readonly log: Logger;
}): ConnectionListener {
  const { entities, live, log } = options;
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
      entities
        .upsertDevice(device)
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
