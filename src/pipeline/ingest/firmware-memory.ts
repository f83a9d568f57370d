import type { DeviceMessage } from '../../contract/index.js';

/**
 * The firmware version each device last reported, as ingest saw it go by: boot and health
 * messages carry it, and so does a shadow report that changes it. Ingest labels a device's
 * messages with it (the firmware cut of the metrics) without a lookup: the entity store knows it
 * too, but asking per message would cost I/O on the hot path. Until a device's first boot or health
 * since the platform started (health comes every minute) its version is unknown. One short string
 * per device: 100,000 devices are a few MB.
 */
export class FirmwareMemory {
  readonly #versions = new Map<string, string>();

  /** Remembers the version a stored message reports, if it reports one. */
  note(message: DeviceMessage): void {
    const version =
      message.type === 'boot' || message.type === 'health'
        ? message.firmware_version
        : message.type === 'shadow-report'
          ? message.reported.firmware_version
          : undefined;
    if (version !== undefined && this.#versions.get(message.device_id) !== version)
      this.#versions.set(message.device_id, version);
  }

  of(deviceId: string): string | undefined {
    return this.#versions.get(deviceId);
  }
}
