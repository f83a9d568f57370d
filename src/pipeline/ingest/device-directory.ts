import type { DeviceClass } from '../../contract/index.js';
import type { DeviceRecord, DeviceRegistry } from '../../edge/identity/index.js';

/** What ingest needs to know about a device to accept its messages. */
export interface KnownDevice {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  /** DER SPKI (base64) of every certificate the device may still sign with, newest first. */
  readonly publicKeys: readonly string[];
  readonly revoked: boolean;
}

export interface DeviceDirectory {
  lookup(deviceId: string): Promise<KnownDevice | undefined>;
  /** Forget a cached entry: the device was just registered, renewed or revoked. */
  invalidate(deviceId: string): void;
}

const DEFAULT_TTL_MS = 30_000;

/**
 * The device registry seen through a short cache: ingest looks a device up for every message,
 * the registry is a file per device. Revocation does not wait for the cache: `isRevoked` is the
 * revocation watcher's live answer.
 */
export class RegistryDeviceDirectory implements DeviceDirectory {
  readonly #cache = new Map<string, { device: KnownDevice | undefined; until: number }>();

  constructor(
    private readonly registry: DeviceRegistry,
    private readonly isRevoked: (deviceId: string) => boolean,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  async lookup(deviceId: string): Promise<KnownDevice | undefined> {
    const at = this.now();
    const hit = this.#cache.get(deviceId);
    let device = hit && hit.until > at ? hit.device : undefined;
    if (!hit || hit.until <= at) {
      const record = await this.registry.get(deviceId as DeviceRecord['serial']);
      device = record && toKnownDevice(record, at);
      // Unknown devices are cached briefly too, so a flood from one cannot hammer the registry.
      this.#cache.set(deviceId, { device, until: at + this.ttlMs });
    }
    if (device && this.isRevoked(deviceId) && !device.revoked) return { ...device, revoked: true };
    return device;
  }

  invalidate(deviceId: string): void {
    this.#cache.delete(deviceId);
  }
}

function toKnownDevice(record: DeviceRecord, at: number): KnownDevice {
  const stillValid = record.previous_certificates.filter((c) => Date.parse(c.not_after) > at);
  return {
    deviceId: record.serial,
    storeId: record.store,
    deviceClass: record.class,
    publicKeys: [record.certificate, ...stillValid].map((c) => c.public_key),
    revoked: record.status === 'revoked',
  };
}
