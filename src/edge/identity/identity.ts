import { dataLayout, type DataLayout } from '../../stores/data-dir/index.js';
import { systemClock, type Clock } from './clock.js';
import type { DeviceRegistry } from './registry/device-registry.js';
import { FileDeviceRegistry } from './registry/file-device-registry.js';
import { FileStoreRegistry } from './stores/file-store-registry.js';
import type { StoreRegistry } from './stores/store-registry.js';

/** What identity operations work on: a data directory, the registries and a clock. */
export interface IdentityContext {
  readonly layout: DataLayout;
  readonly devices: DeviceRegistry;
  readonly stores: StoreRegistry;
  readonly now: Clock;
}

/** The file-based identity of a data directory; registries and clock can be replaced. */
export function openIdentity(
  dataDir: string,
  options: { now?: Clock; devices?: DeviceRegistry; stores?: StoreRegistry } = {},
): IdentityContext {
  const layout = dataLayout(dataDir);
  return {
    layout,
    devices: options.devices ?? new FileDeviceRegistry(layout),
    stores: options.stores ?? new FileStoreRegistry(layout),
    now: options.now ?? systemClock,
  };
}
