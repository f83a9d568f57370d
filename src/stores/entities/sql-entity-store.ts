import { SqlCommandRecords } from './commands/command-queries.js';
import { SqlRetentionRecords } from './retention/retention-queries.js';
import { writeConnections, type ConnectionBatch } from './connection-records.js';
import type { CommandRecords } from './commands/command-records.js';
import { SqlCustomerRecords } from './customers/customer-queries.js';
import { SqlShadowRecords } from './shadows/shadow-queries.js';
import { SqlWebhookRecords } from './webhooks/webhook-queries.js';
import type { WebhookRecords } from './webhooks/webhook-records.js';
import type { ShadowRecords } from './shadows/shadow-records.js';
import type {
  AccountRecord,
  CustomerRecords,
  DsarRequest,
  DsarState,
  NewAccount,
} from './customers/customer-records.js';
import { DEVICE_VIEW_COLUMNS, toDeviceView } from './device-view.js';
import { SqlDeviceHealthRecords } from './device-health/device-health-queries.js';
import type { DeviceHealthRecords } from './device-health/device-health-records.js';
import { SqlOtaRecords } from './ota/ota-queries.js';
import type { OtaRecords } from './ota/ota-records.js';

import type {
  AdmittedDevice,
  CartMaintenance,
  CartPage,
  CartQuery,
  AlertPage,
  CatalogItem,
  CheckoutRecord,
  CheckoutWorkQuery,
  DeviceView,
  EntityStore,
  IngestedEvent,
  MaintenanceChange,
  NewAlert,
  ProjectionOutcome,
  ScanView,
  SessionLink,
  SessionMerge,
  SessionPage,
  SessionView,
  StoreAlertQuery,
  StoredSessionEnd,
  StoreRecord,
  StoreSessionQuery,
  WeightMismatchScan,
} from './entity-store.js';
import * as alerts from './alerts/alert-queries.js';
import {
  getCheckout,
  getSessionEnd,
  listCheckoutWork,
  listSessionWeightMismatches,
  recordCheckout,
} from './checkout/checkout-queries.js';
import { listCatalogItems, upsertCatalogItems } from './catalog/catalog-items.js';
import { listTopCatalogItems } from './catalog/top-items.js';
import { acceptProximityNonce, listCarts, setMaintenance } from './fleet/fleet-queries.js';
import { getSessionLink, listStoreSessions } from './session-queries.js';
import { MIGRATIONS, migrate } from './migrations/index.js';
import { applyPlan } from './projection/apply.js';
import { planProjection, type ProjectionPlan } from './projection/plan.js';
import { SCAN_VIEW_SQL, SESSION_VIEW_SQL, toScanView, toSessionView } from './session-view.js';
import type { SqlClient } from './sql/sql-client.js';

/** Any UUID, any case: a lookup by something else finds nothing instead of a type error. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The entity store over any SqlClient; PGlite and a PostgreSQL server run the same SQL. */
export class SqlEntityStore extends SqlRetentionRecords implements EntityStore {
  readonly #customers: SqlCustomerRecords;
  readonly #ota: SqlOtaRecords;
  readonly #commands: SqlCommandRecords;
  readonly #shadows: SqlShadowRecords;
  readonly #webhooks: SqlWebhookRecords;
  readonly #health: SqlDeviceHealthRecords;

  constructor(client: SqlClient) {
    super(client);
    this.#customers = new SqlCustomerRecords(client);
    this.#ota = new SqlOtaRecords(client);
    this.#commands = new SqlCommandRecords(client);
    this.#shadows = new SqlShadowRecords(client);
    this.#webhooks = new SqlWebhookRecords(client);
    this.#health = new SqlDeviceHealthRecords(client);
  }

  get engine(): SqlClient['engine'] {
    return this.client.engine;
  }

  async migrate(): Promise<void> {
    await migrate(this.client, MIGRATIONS);
  }

  async upsertStore(store: StoreRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO stores AS s (store_id, name, region, timezone) VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,
         timezone = EXCLUDED.timezone, updated_at = now()
       WHERE (s.name, s.region, s.timezone)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.region, EXCLUDED.timezone)`,
      [store.storeId, store.name, store.region, store.timezone],
    );
  }

  async upsertDevice(device: AdmittedDevice): Promise<void> {
    await this.recordConnections({ admitted: [device], events: [] });
  }

  async recordConnection(deviceId: string, connected: boolean, at: number): Promise<void> {
    await this.recordConnections({ admitted: [], events: [{ deviceId, connected, at }] });
  }

  async recordConnections(batch: ConnectionBatch): Promise<void> {
    await this.client.transaction((tx) => writeConnections(tx, batch));
  }

  async project(events: readonly IngestedEvent[]): Promise<ProjectionOutcome> {
    if (events.length === 0) return { merges: [] };
    return this.projectPlan(planProjection(events));
  }

  /** `project` for a batch already folded (ThreadedEntityStore folds before crossing threads). */
  async projectPlan(plan: ProjectionPlan): Promise<ProjectionOutcome> {
    return { merges: await this.client.transaction((tx) => applyPlan(tx, plan)) };
  }

  async getDevice(deviceId: string): Promise<DeviceView | undefined> {
    const rows = await this.client.query(
      `SELECT ${DEVICE_VIEW_COLUMNS} FROM devices WHERE device_id = $1`,
      [deviceId],
    );
    return rows[0] === undefined ? undefined : toDeviceView(rows[0]);
  }

  async listStoreDevices(storeId: string): Promise<DeviceView[]> {
    const rows = await this.client.query(
      `SELECT ${DEVICE_VIEW_COLUMNS} FROM devices WHERE store_id = $1 ORDER BY device_id`,
      [storeId],
    );
    return rows.map(toDeviceView);
  }

  async getSession(sessionId: string): Promise<SessionView | undefined> {
    if (!UUID.test(sessionId)) return undefined;
    const rows = await this.client.query(SESSION_VIEW_SQL, [sessionId]);
    return rows[0] === undefined ? undefined : toSessionView(rows[0]);
  }

  async listSessionScans(sessionId: string): Promise<ScanView[]> {
    if (!UUID.test(sessionId)) return [];
    return (await this.client.query(SCAN_VIEW_SQL, [sessionId])).map(toScanView);
  }

  listStoreSessions(storeId: string, query: StoreSessionQuery): Promise<SessionPage> {
    return listStoreSessions(this.client, storeId, query);
  }

  async getSessionLink(sessionId: string): Promise<SessionLink | undefined> {
    if (!UUID.test(sessionId)) return undefined;
    return getSessionLink(this.client, sessionId);
  }

  // The customer half (tier 2) lives in customers/customer-queries.ts.
  createAccount(account: NewAccount): Promise<{ customerId: string; created: boolean }> {
    return this.#customers.createAccount(account);
  }
  getAccount(customerId: string): Promise<AccountRecord | undefined> {
    return this.#customers.getAccount(customerId);
  }
  findAccountByLoyalty(loyaltyDigest: string): Promise<string | undefined> {
    return this.#customers.findAccountByLoyalty(loyaltyDigest);
  }
  attachAccount(
    sessionId: string,
    customerId: string,
  ): Promise<{ attached: boolean; merges: SessionMerge[] }> {
    return this.#customers.attachAccount(sessionId, customerId);
  }
  putAppCode(codeDigest: string, customerId: string, expiresAt: number): Promise<void> {
    return this.#customers.putAppCode(codeDigest, customerId, expiresAt);
  }
  redeemAppCode(codeDigest: string, sessionId: string, at: number): Promise<string | undefined> {
    return this.#customers.redeemAppCode(codeDigest, sessionId, at);
  }
  listAccountSessions(customerId: string): Promise<SessionView[]> {
    return this.#customers.listAccountSessions(customerId);
  }
  forgetAccount(customerId: string, at: number): Promise<{ sessionsUnlinked: number }> {
    return this.#customers.forgetAccount(customerId, at);
  }
  putShoppingList(customerId: string, storeId: string, skus: readonly string[]): Promise<void> {
    return this.#customers.putShoppingList(customerId, storeId, skus);
  }
  getShoppingList(customerId: string, storeId: string): Promise<string[]> {
    return this.#customers.getShoppingList(customerId, storeId);
  }
  openDsarRequest(
    request: Parameters<CustomerRecords['openDsarRequest']>[0],
  ): Promise<DsarRequest> {
    return this.#customers.openDsarRequest(request);
  }
  closeDsarRequest(
    requestId: string,
    state: 'completed' | 'refused',
    at: number,
    outcome: string,
  ): Promise<DsarRequest | undefined> {
    return this.#customers.closeDsarRequest(requestId, state, at, outcome);
  }
  listDsarRequests(filter: { readonly state?: DsarState }): Promise<DsarRequest[]> {
    return this.#customers.listDsarRequests(filter);
  }
  countAccountsByRegion(): ReturnType<CustomerRecords['countAccountsByRegion']> {
    return this.#customers.countAccountsByRegion();
  }

  // The OTA half lives in ota/ota-queries.ts (one line each, as the webhooks below).
  createRollout: OtaRecords['createRollout'] = (...a) => this.#ota.createRollout(...a);
  getRollout: OtaRecords['getRollout'] = (...a) => this.#ota.getRollout(...a);
  listRollouts: OtaRecords['listRollouts'] = (...a) => this.#ota.listRollouts(...a);
  updateRollout: OtaRecords['updateRollout'] = (...a) => this.#ota.updateRollout(...a);
  upsertOtaJobs: OtaRecords['upsertOtaJobs'] = (...a) => this.#ota.upsertOtaJobs(...a);
  listRolloutJobs: OtaRecords['listRolloutJobs'] = (...a) => this.#ota.listRolloutJobs(...a);
  getOtaJob: OtaRecords['getOtaJob'] = (...a) => this.#ota.getOtaJob(...a);
  listDeviceOtaJobs: OtaRecords['listDeviceOtaJobs'] = (...a) => this.#ota.listDeviceOtaJobs(...a);
  listOtaTargets: OtaRecords['listOtaTargets'] = (...a) => this.#ota.listOtaTargets(...a);
  getStoreSchedules: OtaRecords['getStoreSchedules'] = (...a) => this.#ota.getStoreSchedules(...a);
  setMaintenanceWindows: OtaRecords['setMaintenanceWindows'] = (...a) =>
    this.#ota.setMaintenanceWindows(...a);
  setOpeningHours: OtaRecords['setOpeningHours'] = (...a) => this.#ota.setOpeningHours(...a);
  measureVersionHealth: OtaRecords['measureVersionHealth'] = (...a) =>
    this.#ota.measureVersionHealth(...a);

  upsertCatalogItems(storeId: string, items: readonly CatalogItem[]): Promise<number> {
    return upsertCatalogItems(this.client, storeId, items);
  }

  listCatalogItems(storeId: string): Promise<CatalogItem[]> {
    return listCatalogItems(this.client, storeId);
  }

  listTopCatalogItems(
    storeId: string,
    options: { readonly since: number; readonly limit: number },
  ): Promise<CatalogItem[]> {
    return listTopCatalogItems(this.client, storeId, options);
  }

  listCarts(query: CartQuery): Promise<CartPage> {
    return listCarts(this.client, query);
  }

  setMaintenance(
    deviceId: string,
    change: MaintenanceChange,
  ): Promise<CartMaintenance | undefined> {
    return setMaintenance(this.client, deviceId, change);
  }

  acceptProximityNonce(
    deviceId: string,
    nonce: string,
    expiresAt: number,
    now: number,
  ): Promise<boolean> {
    return acceptProximityNonce(this.client, deviceId, nonce, expiresAt, now);
  }

  async getSessionEnd(sessionId: string): Promise<StoredSessionEnd | undefined> {
    if (!UUID.test(sessionId)) return undefined;
    return getSessionEnd(this.client, sessionId);
  }

  async listSessionWeightMismatches(sessionId: string): Promise<WeightMismatchScan[]> {
    if (!UUID.test(sessionId)) return [];
    return listSessionWeightMismatches(this.client, sessionId);
  }

  async getCheckout(
    key: { readonly sessionId: string } | { readonly receiptId: string },
  ): Promise<CheckoutRecord | undefined> {
    if ('sessionId' in key && !UUID.test(key.sessionId)) return undefined;
    return getCheckout(this.client, key);
  }

  recordCheckout(record: Omit<CheckoutRecord, 'attempts'>): Promise<CheckoutRecord> {
    return recordCheckout(this.client, record);
  }

  listCheckoutWork(query: CheckoutWorkQuery): Promise<string[]> {
    return listCheckoutWork(this.client, query);
  }

  // Loss-prevention alerts live in alerts/alert-queries.ts.
  recordAlert(alert: NewAlert) {
    return alerts.recordAlert(this.client, alert);
  }
  listStoreAlerts(storeId: string, query: StoreAlertQuery): Promise<AlertPage> {
    return alerts.listStoreAlerts(this.client, storeId, query);
  }
  getAlert(alertId: string) {
    return alerts.getAlert(this.client, alertId);
  }
  transitionAlert(...a: Parameters<EntityStore['transitionAlert']>) {
    return alerts.transitionAlert(this.client, ...a);
  }

  // The command ledger and the device shadow live in commands/ and shadows/.
  insertCommand(...a: Parameters<CommandRecords['insertCommand']>) {
    return this.#commands.insertCommand(...a);
  }
  getCommand(...a: Parameters<CommandRecords['getCommand']>) {
    return this.#commands.getCommand(...a);
  }
  listDeviceCommands(...a: Parameters<CommandRecords['listDeviceCommands']>) {
    return this.#commands.listDeviceCommands(...a);
  }
  listPendingCommands(...a: Parameters<CommandRecords['listPendingCommands']>) {
    return this.#commands.listPendingCommands(...a);
  }
  recordCommandResponse(...a: Parameters<CommandRecords['recordCommandResponse']>) {
    return this.#commands.recordCommandResponse(...a);
  }
  expireCommands(...a: Parameters<CommandRecords['expireCommands']>) {
    return this.#commands.expireCommands(...a);
  }
  resendCommand(...a: Parameters<CommandRecords['resendCommand']>) {
    return this.#commands.resendCommand(...a);
  }
  getShadow(...a: Parameters<ShadowRecords['getShadow']>) {
    return this.#shadows.getShadow(...a);
  }
  writeShadowDesired(...a: Parameters<ShadowRecords['writeShadowDesired']>) {
    return this.#shadows.writeShadowDesired(...a);
  }
  recordShadowReport(...a: Parameters<ShadowRecords['recordShadowReport']>) {
    return this.#shadows.recordShadowReport(...a);
  }
  listDesiredShadows(...a: Parameters<ShadowRecords['listDesiredShadows']>) {
    return this.#shadows.listDesiredShadows(...a);
  }

  // Webhooks and their delivery log live in webhooks/ (one line each: this file is long enough).
  addWebhook: WebhookRecords['addWebhook'] = (...a) => this.#webhooks.addWebhook(...a);
  getWebhook: WebhookRecords['getWebhook'] = (...a) => this.#webhooks.getWebhook(...a);
  listWebhooks: WebhookRecords['listWebhooks'] = () => this.#webhooks.listWebhooks();
  removeWebhook: WebhookRecords['removeWebhook'] = (...a) => this.#webhooks.removeWebhook(...a);
  enqueueWebhookEvent: WebhookRecords['enqueueWebhookEvent'] = (...a) =>
    this.#webhooks.enqueueWebhookEvent(...a);
  claimDueDeliveries: WebhookRecords['claimDueDeliveries'] = (...a) =>
    this.#webhooks.claimDueDeliveries(...a);
  recordDeliveryAttempt: WebhookRecords['recordDeliveryAttempt'] = (...a) =>
    this.#webhooks.recordDeliveryAttempt(...a);
  listDeliveries: WebhookRecords['listDeliveries'] = (...a) => this.#webhooks.listDeliveries(...a);
  recordDeviceRejects(...a: Parameters<DeviceHealthRecords['recordDeviceRejects']>) {
    return this.#health.recordDeviceRejects(...a);
  }
  listTopErrorDevices(...a: Parameters<DeviceHealthRecords['listTopErrorDevices']>) {
    return this.#health.listTopErrorDevices(...a);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
