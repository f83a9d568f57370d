import type { Counter, Gauge } from 'prom-client';
import { LabelCap, OTHER } from './label-cap.js';

/** At most this many stores get their own label value; the rest are counted as `other`. */
export const MAX_STORES = 200;
/** At most this many firmware versions per device class get their own label value. */
export const MAX_FIRMWARE_PER_CLASS = 20;
/** The firmware label of a device that has not said its version since the platform started. */
export const UNKNOWN_FIRMWARE = 'unknown';

type ClassStore = 'device_class' | 'store';
type ClassFirmware = 'device_class' | 'firmware';

export interface FleetCutMetrics {
  readonly storedByStore: Counter<ClassStore>;
  readonly rejectsByStore: Counter<ClassStore>;
  readonly storedByFirmware: Counter<ClassFirmware>;
  readonly rejectsByFirmware: Counter<ClassFirmware>;
  readonly connectedByStore: Gauge<ClassStore>;
}

interface Step {
  inc(): void;
  dec?(): void;
}

/**
 * The per-store and per-firmware cuts of the ingest and broker figures, with their label values
 * capped (MAX_STORES, MAX_FIRMWARE_PER_CLASS; past the cap a value is `other`). Each cut is its
 * own metric, device class × store and device class × firmware, never store × firmware: the cross
 * product would be 200 × 20 series per class. Label children are kept per label pair, so a message
 * costs one map lookup per cut, not a label hash.
 */
export class FleetCuts {
  readonly #stores = new LabelCap(MAX_STORES);
  readonly #firmware = new Map<string, LabelCap>();
  readonly #children = new Map<string, Step>();

  constructor(private readonly metrics: FleetCutMetrics) {}

  /** The label a store is counted under: its id, or `other` past the cap. */
  storeLabel(storeId: string): string {
    return this.#stores.value(storeId);
  }

  /** The label a firmware version is counted under, within its device class's cap. */
  firmwareLabel(deviceClass: string, version: string | undefined): string {
    if (version === undefined) return UNKNOWN_FIRMWARE;
    let cap = this.#firmware.get(deviceClass);
    if (!cap) this.#firmware.set(deviceClass, (cap = new LabelCap(MAX_FIRMWARE_PER_CLASS)));
    return cap.value(version);
  }

  /** A message stored for the first time. */
  stored(deviceClass: string, storeId: string, firmware: string | undefined): void {
    this.#store('s', this.metrics.storedByStore, deviceClass, storeId).inc();
    this.#firmwareStep('fs', this.metrics.storedByFirmware, deviceClass, firmware).inc();
  }

  /** A message refused (any reason, replays included) from a device whose store is known. */
  rejected(deviceClass: string, storeId: string, firmware: string | undefined): void {
    this.#store('r', this.metrics.rejectsByStore, deviceClass, storeId).inc();
    this.#firmwareStep('fr', this.metrics.rejectsByFirmware, deviceClass, firmware).inc();
  }

  connected(deviceClass: string, storeId: string): void {
    this.#store('c', this.metrics.connectedByStore, deviceClass, storeId).inc();
  }

  disconnected(deviceClass: string, storeId: string): void {
    this.#store('c', this.metrics.connectedByStore, deviceClass, storeId).dec?.();
  }

  #store(
    kind: string,
    metric: Counter<ClassStore> | Gauge<ClassStore>,
    deviceClass: string,
    storeId: string,
  ): Step {
    const key = `${kind}\u0000${deviceClass}\u0000${storeId}`;
    let step = this.#children.get(key);
    if (!step) {
      const store = this.storeLabel(storeId);
      step = metric.labels({ device_class: deviceClass, store });
      // Past the cap every new id would add an entry: those pay the label hash instead.
      if (store !== OTHER) this.#children.set(key, step);
    }
    return step;
  }

  #firmwareStep(
    kind: string,
    metric: Counter<ClassFirmware>,
    deviceClass: string,
    version: string | undefined,
  ): Step {
    const key = `${kind}\u0000${deviceClass}\u0000${version ?? ''}`;
    let step = this.#children.get(key);
    if (!step) {
      const firmware = this.firmwareLabel(deviceClass, version);
      step = metric.labels({ device_class: deviceClass, firmware });
      if (firmware !== OTHER) this.#children.set(key, step);
    }
    return step;
  }
}
