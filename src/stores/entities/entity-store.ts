import type { ConnectionBatch } from './connection-records.js';
import type {
  DeviceClass,
  DeviceMessage,
  DeviceMessageType,
  SessionLine,
} from '../../contract/index.js';
import type { CommandRecords } from './commands/command-records.js';
import type { CustomerRecords } from './customers/customer-records.js';
import type { ShadowRecords } from './shadows/shadow-records.js';
import type { OtaRecords } from './ota/ota-records.js';
import type { ConsoleRecords } from './console/console-records.js';
import type { AlarmRecords } from './alarms/alarm-records.js';
import type { WebhookRecords } from './webhooks/webhook-records.js';
import type { DeviceHealthRecords } from './device-health/device-health-records.js';
import type { ColdChainRecords } from './coldchain/coldchain-records.js';
import type { ToolRecords } from './tools/tool-records.js';
import type { RetentionRecords } from './retention/retention-records.js';
import type { CartMaintenance, CartPage, CartQuery, MaintenanceChange } from './fleet/cart-view.js';

export type {
  CartFault,
  CartMaintenance,
  CartPage,
  CartPosition,
  CartQuery,
  CartView,
  MaintenanceChange,
  MaintenanceReason,
} from './fleet/cart-view.js';
export { MAINTENANCE_REASONS } from './fleet/cart-view.js';
import type {
  AlertPage,
  AlertTransition,
  AlertTransitionResult,
  AlertView,
  NewAlert,
  StoreAlertQuery,
} from './alerts/alert-types.js';
import type {
  CheckoutRecord,
  CheckoutWorkQuery,
  StoredSessionEnd,
  WeightMismatchScan,
} from './checkout/checkout-types.js';

export * from './alerts/alert-types.js';
export * from './checkout/checkout-types.js';
export type * from './commands/command-records.js';
export type * from './shadows/shadow-records.js';
export type * from './webhooks/webhook-records.js';
export * from './ota/ota-types.js';
export type { OtaRecords } from './ota/ota-records.js';
export * from './console/console-records.js';
export * from './alarms/alarm-records.js';
export type * from './device-health/device-health-records.js';
export * from './coldchain/coldchain-records.js';
export type * from './tools/tool-records.js';
export type * from './retention/retention-records.js';

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
  /** Null when the operator did not say (the identity registry's store record allows that). */
  readonly region: string | null;
  readonly timezone: string | null;
}

export interface CatalogItem {
  readonly sku: string;
  readonly barcode?: string;
  readonly name: string;
  readonly priceCents: number;
  /** Expected weight, for the cart's weight check. */
  readonly weightG?: number;
  /** The PRD's item has a category; the POS export may or may not carry one. */
  readonly category?: string;
}

export const SESSION_STATUSES = [
  'active',
  'paused',
  'complete',
  'abandoned',
  'voided',
  'transferred',
] as const;
/**
 * The PRD's session states, plus 'transferred' (the session-end status of a cart the customer left
 * for another one after a battery cliff; merging the halves is the retail domain's job).
 */
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface PaymentView {
  readonly method: 'store-terminal' | 'none';
  readonly status: 'authorized' | 'declined' | 'deferred';
  readonly amountCents: number;
  readonly currency: string;
  /** The terminal's opaque authorization token; never card data. */
  readonly authReference: string | null;
  readonly decidedAt: string;
}

/** One shopping trip as the platform knows it now. */
export interface SessionView {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly storeId: string;
  /** The random customer id; null for a guest (an account is optional on a session). */
  readonly accountId: string | null;
  readonly status: SessionStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** Scan events applied so far (adds and removes). */
  readonly scanCount: number;
  /** Running total from the scans: adds minus removes at the price the cart showed. */
  readonly subtotalCents: number;
  /** Scans whose weight check failed. */
  readonly scanMismatches: number;
  /** From the session-end, once it arrived. */
  readonly itemCount: number | null;
  readonly totalCents: number | null;
  readonly currency: string | null;
  readonly identifyMethod: 'loyalty' | 'payment-token' | 'app-code' | null;
  readonly payment: PaymentView | null;
  /** A transferred session: the session on another cart that continued the trip. */
  readonly mergedInto: string | null;
  /** The transferred sessions this one continued, oldest end first. */
  readonly mergedFrom: string[];
  // The session-scoped customer ref is left out on purpose: it is the cart's handle on the
  // customer, and nobody reading sessions for operations needs it (decision 014).
}

/** Where a page of a store's sessions ended: the next page starts after this session. */
export interface SessionPageKey {
  readonly startedAt: string;
  readonly sessionId: string;
}

/** A store's sessions, newest start first, filtered by start time and status. */
export interface StoreSessionQuery {
  /** Started at or after (ms since epoch). */
  readonly since?: number;
  /** Started before (ms since epoch). */
  readonly until?: number;
  readonly status?: SessionStatus;
  readonly limit: number;
  readonly after?: SessionPageKey;
}

export interface SessionPage {
  readonly sessions: SessionView[];
  /** Null on the last page. */
  readonly next: SessionPageKey | null;
}

/** A transferred session's basket, as its session-end reported it. */
export interface CarriedBasket {
  readonly fromSessionId: string;
  readonly lines: SessionLine[];
}

/** What the cloud tells a cart about its identified session (the attach-customer answer). */
export interface SessionLink {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly storeId: string;
  /** Active or paused: a cart only acts on the session it is in. */
  readonly open: boolean;
  /** The session-scoped customer id: random, drawn when the session was first identified. */
  readonly customerRef: string;
  /** The transferred sessions this one continues, oldest end first. */
  readonly carried: CarriedBasket[];
  /** Set when this session was transferred and another one continued it. */
  readonly mergedInto: string | null;
}

/** A transferred session joined to the session that continued it. */
export interface SessionMerge {
  readonly fromSessionId: string;
  readonly intoSessionId: string;
}

/** What applying a batch changed beyond the rows it names. */
export interface ProjectionOutcome {
  /** Merges this application made (a replay makes none). */
  readonly merges: SessionMerge[];
}

export interface ScanView {
  readonly deviceId: string;
  readonly counter: number;
  readonly scanSeq: number;
  readonly action: 'add' | 'remove';
  readonly barcode: string;
  readonly sku: string | null;
  readonly quantity: number;
  readonly priceCents: number | null;
  readonly weightCheck: 'match' | 'mismatch' | 'not-checked';
  readonly scannedAt: string;
}

/**
 * The entity store port ("what is true now"): PGlite on disk by default, a PostgreSQL server by
 * URL. Domain code sees only this interface.
 */
export interface EntityStore
  extends
    CustomerRecords,
    OtaRecords,
    CommandRecords,
    ShadowRecords,
    ConsoleRecords,
    AlarmRecords,
    WebhookRecords,
    DeviceHealthRecords,
    ColdChainRecords,
    ToolRecords,
    RetentionRecords {
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  upsertStore(store: StoreRecord): Promise<void>;
  /** Registers a device the broker admitted (just-in-time), or refreshes its store and class. */
  upsertDevice(device: AdmittedDevice): Promise<void>;
  /** Connect and disconnect events; both update last-seen. */
  recordConnection(deviceId: string, connected: boolean, at: number): Promise<void>;
  /**
   * Admissions and connection events in one transaction, as `upsertDevice` and
   * `recordConnection` would apply them one by one: what the broker reports during a storm.
   */
  recordConnections(batch: ConnectionBatch): Promise<void>;
  /** Applies events to current state, sessions, scans and payments. Idempotent. */
  project(events: readonly IngestedEvent[]): Promise<ProjectionOutcome>;
  getDevice(deviceId: string): Promise<DeviceView | undefined>;
  /** The store's devices, ordered by id. */
  listStoreDevices(storeId: string): Promise<DeviceView[]>;
  getSession(sessionId: string): Promise<SessionView | undefined>;
  /** The session's scans in the cart's order (scan_seq, then counter). */
  listSessionScans(sessionId: string): Promise<ScanView[]>;
  /**
   * A store's sessions, newest start first (then session id, descending): a stable order, so
   * paging with `after` neither repeats nor skips a session that was there before the first page.
   */
  listStoreSessions(storeId: string, query: StoreSessionQuery): Promise<SessionPage>;
  /** The customer ref and carried baskets of an identified session; undefined if not identified. */
  getSessionLink(sessionId: string): Promise<SessionLink | undefined>;
  /**
   * Replaces or adds items of one store's catalog (the store row is created if missing); returns
   * how many rows changed: an item that is already exactly so is not counted.
   */
  upsertCatalogItems(storeId: string, items: readonly CatalogItem[]): Promise<number>;
  /** The store's catalog, ordered by sku. */
  listCatalogItems(storeId: string): Promise<CatalogItem[]>;
  /**
   * What a cart caches: the store's items that have a barcode, most added to baskets in the
   * store's sessions since `since` (ms since epoch) first, then by sku; at most `limit`.
   */
  listTopCatalogItems(
    storeId: string,
    options: { readonly since: number; readonly limit: number },
  ): Promise<CatalogItem[]>;
  /**
   * Carts (device class cart) of the whole fleet with their store's region, position, staff
   * maintenance flag and last fault; ordered by device id, paged by the last id of a page.
   */
  listCarts(query: CartQuery): Promise<CartPage>;
  /**
   * Sets (a reason) or clears (null) the staff out-of-service flag of a device and bumps its
   * shadow-desired version; undefined when the device is unknown.
   */
  setMaintenance(deviceId: string, change: MaintenanceChange): Promise<CartMaintenance | undefined>;
  /**
   * Records a proximity proof's nonce for a device (durably, unique per device); false when it was
   * accepted before. Prunes nonces whose proofs expired long enough ago (times: ms since epoch).
   */
  acceptProximityNonce(
    deviceId: string,
    nonce: string,
    expiresAt: number,
    now: number,
  ): Promise<boolean>;
  /** The session's end as stored (contents, totals, payment); undefined until it has ended. */
  getSessionEnd(sessionId: string): Promise<StoredSessionEnd | undefined>;
  /** The session's scans whose weight check failed, in the cart's order, with the weights. */
  listSessionWeightMismatches(sessionId: string): Promise<WeightMismatchScan[]>;
  /** A session's checkout, by session or by the receipt it issued. */
  getCheckout(
    key: { readonly sessionId: string } | { readonly receiptId: string },
  ): Promise<CheckoutRecord | undefined>;
  /**
   * Records a reconciliation and returns the checkout that stands: the first final outcome is
   * kept, whatever comes later; a payment-unavailable one is replaced (and its attempts counted).
   */
  recordCheckout(record: Omit<CheckoutRecord, 'attempts'>): Promise<CheckoutRecord>;
  /** Sessions to reconcile now: retries that are due, and complete sessions never reconciled. */
  listCheckoutWork(query: CheckoutWorkQuery): Promise<string[]>;
  /** Records a loss-prevention alert, open; undefined when this event raised it before. */
  recordAlert(alert: NewAlert): Promise<AlertView | undefined>;
  /** A store's alerts, newest first (then id, descending), paged by key like sessions. */
  listStoreAlerts(storeId: string, query: StoreAlertQuery): Promise<AlertPage>;
  /** One alert by id (any string: one that is not an alert id finds nothing). */
  getAlert(alertId: string): Promise<AlertView | undefined>;
  /**
   * Acknowledges (from open) or resolves (from open or acknowledged) an alert, keeping who and
   * when; atomic, so of two people acting at once on the same state only one moves it.
   */
  transitionAlert(alertId: string, change: AlertTransition): Promise<AlertTransitionResult>;
  close(): Promise<void>;
}
