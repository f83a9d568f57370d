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
 * costs two map lookups per cut, not a label hash.
 */
export class FleetCuts {
  readonly #stores = new LabelCap(MAX_STORES);
  readonly #firmware = new Map<string, LabelCap>();
  readonly #storedByStore: Steps;
  readonly #rejectsByStore: Steps;
  readonly #connectedByStore: Steps;
  readonly #storedByFirmware: Steps;
  readonly #rejectsByFirmware: Steps;

  constructor(metrics: FleetCutMetrics) {
    const byStore = (metric: Counter<ClassStore> | Gauge<ClassStore>) =>
      new Steps((deviceClass, storeId) => {
        const store = this.storeLabel(storeId);
        return { step: metric.labels({ device_class: deviceClass, store }), label: store };
      });
    const byFirmware = (metric: Counter<ClassFirmware>) =>
      new Steps((deviceClass, version) => {
        const firmware = this.firmwareLabel(deviceClass, version === '' ? undefined : version);
        return { step: metric.labels({ device_class: deviceClass, firmware }), label: firmware };
      });
    this.#storedByStore = byStore(metrics.storedByStore);
    this.#rejectsByStore = byStore(metrics.rejectsByStore);
    this.#connectedByStore = byStore(metrics.connectedByStore);
    this.#storedByFirmware = byFirmware(metrics.storedByFirmware);
    this.#rejectsByFirmware = byFirmware(metrics.rejectsByFirmware);
  }

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
    this.#storedByStore.get(deviceClass, storeId).inc();
    this.#storedByFirmware.get(deviceClass, firmware ?? '').inc();
  }

  /** A message refused (any reason, replays included) from a device whose store is known. */
  rejected(deviceClass: string, storeId: string, firmware: string | undefined): void {
    this.#rejectsByStore.get(deviceClass, storeId).inc();
    this.#rejectsByFirmware.get(deviceClass, firmware ?? '').inc();
  }

  connected(deviceClass: string, storeId: string): void {
    this.#connectedByStore.get(deviceClass, storeId).inc();
  }

  disconnected(deviceClass: string, storeId: string): void {
    this.#connectedByStore.get(deviceClass, storeId).dec?.();
  }
}

/**
 * One metric's label children by device class and raw value, in nested maps so a lookup builds no
 * key string (ingest calls this per message). A raw value past the cap is not kept: every new id
 * would add an entry, so those pay prom-client's label hash instead.
 */
class Steps {
  readonly #byClass = new Map<string, Map<string, Step>>();

  constructor(
    private readonly make: (deviceClass: string, raw: string) => { step: Step; label: string },
  ) {}

  get(deviceClass: string, raw: string): Step {
    let byValue = this.#byClass.get(deviceClass);
    if (!byValue) this.#byClass.set(deviceClass, (byValue = new Map()));
    const hit = byValue.get(raw);
    if (hit) return hit;
    const { step, label } = this.make(deviceClass, raw);
    if (label !== OTHER) byValue.set(raw, step);
    return step;
  }
}
