import type { DeviceClass } from '../../contract/index.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import type { ConnectedDevice, ConnectionListener } from './device-broker.js';

const CLASSES: readonly DeviceClass[] = ['cart', 'coldchain', 'tool'];

/**
 * What the embedded broker records when a device connects or goes: the connected-devices gauges
 * (one step up or down for the device's class, and for its class and store: a connect costs the same whether 10 or 50,000
 * devices are connected; recounting every connection made a reconnect storm quadratic), the
 * connect/disconnect counter, a log line and the platform's listener.
 */
export class ConnectedDevices {
  readonly #gauge: ReadonlyMap<DeviceClass, { inc(): void; dec(): void }>;
  readonly #connects: { inc(): void };
  readonly #disconnects: { inc(): void };

  constructor(
    private readonly options: {
      readonly metrics: Pick<PlatformMetrics, 'connectedDevices' | 'connections' | 'cuts'>;
      readonly log: Logger;
      readonly listener?: ConnectionListener;
      readonly now: () => number;
    },
  ) {
    const { connectedDevices, connections } = options.metrics;
    // Label children taken once: each step is then a plain add, no label hashing.
    this.#gauge = new Map(
      CLASSES.map((deviceClass) => {
        const child = connectedDevices.labels({ device_class: deviceClass });
        child.set(0);
        return [deviceClass, child];
      }),
    );
    this.#connects = connections.labels({ event: 'connect' });
    this.#disconnects = connections.labels({ event: 'disconnect' });
  }

  connected(device: ConnectedDevice): void {
    this.#gauge.get(device.deviceClass)?.inc();
    this.options.metrics.cuts.connected(device.deviceClass, device.storeId);
    this.#connects.inc();
    const { deviceId, storeId, deviceClass } = device;
    this.options.log.info(
      { device_id: deviceId, store_id: storeId, device_class: deviceClass },
      'device connected',
    );
    this.options.listener?.connected?.(device, this.options.now());
  }

  subscribed(device: ConnectedDevice, topics: readonly string[]): void {
    this.options.listener?.subscribed?.(device, topics, this.options.now());
  }

  disconnected(device: ConnectedDevice): void {
    this.#gauge.get(device.deviceClass)?.dec();
    this.options.metrics.cuts.disconnected(device.deviceClass, device.storeId);
    this.#disconnects.inc();
    this.options.log.info({ device_id: device.deviceId }, 'device disconnected');
    this.options.listener?.disconnected?.(device, this.options.now());
  }
}
