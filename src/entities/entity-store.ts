import type { DeviceClass, DeviceMessage, DeviceMessageType } from '../contract/index.js';

/**
 * One verified, deduplicated event as the ingest hands it to the entity store. `seq` is the
 * telemetry store's change-feed position: projection is idempotent, so an event may arrive twice
 * (after a crash, from the dead-letter store) and must change nothing the second time.
 */
export interface IngestedEvent {
  readonly seq: number;
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  readonly type: DeviceMessageType;
  readonly counter: number;
  /** The device's own timestamp (ms since epoch). */
  readonly deviceTime: number;
  /** When the platform received it (ms since epoch). */
  readonly receivedAt: number;
  readonly message: DeviceMessage;
}

/** A device as it was admitted by the broker (certificate-derived). */
export interface AdmittedDevice {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  readonly certSerialHex: string;
}

/** "What is true now" about a device, for the API. */
export interface DeviceView {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
  readonly firmwareVersion: string | null;
  readonly batteryPct: number | null;
  readonly batteryMv: number | null;
  readonly charging: boolean | null;
  readonly link: string | null;
  readonly rssiDbm: number | null;
  readonly state: string | null;
  readonly maintenance: boolean;
  readonly location: { readonly lat: number; readonly lon: number } | null;
  readonly activeSessionId: string | null;
  /** Counter of the newest event applied to the current-state columns. */
  readonly lastCounter: number | null;
}

export interface StoreRecord {
  readonly storeId: string;
  readonly name: string;
  readonly region: string;
  readonly timezone: string;
}

export interface CatalogItem {
  readonly sku: string;
  readonly barcode?: string;
  readonly name: string;
  readonly priceCents: number;
  readonly weightG?: number;
}

/**
 * The entity store port ("what is true now"): PGlite on disk by default, a PostgreSQL server by
 * URL. Domain code sees only this interface.
 */
export interface EntityStore {
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  upsertStore(store: StoreRecord): Promise<void>;
  /** Registers a device the broker admitted (just-in-time), or refreshes its store and class. */
  upsertDevice(device: AdmittedDevice): Promise<void>;
  /** Connect and disconnect events; both update last-seen. */
  recordConnection(deviceId: string, connected: boolean, at: number): Promise<void>;
  /** Applies events to current state, sessions, scans and payments. Idempotent. */
  project(events: readonly IngestedEvent[]): Promise<void>;
  getDevice(deviceId: string): Promise<DeviceView | undefined>;
  listStoreDevices(storeId: string): Promise<DeviceView[]>;
  /** Replaces or adds items of one store's catalog; returns how many were written. */
  upsertCatalogItems(storeId: string, items: readonly CatalogItem[]): Promise<number>;
  close(): Promise<void>;
}
