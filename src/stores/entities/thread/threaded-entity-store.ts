import { ThreadClient } from '../../../shared/threads/thread-client.js';
import { ThreadedRetentionRecords } from '../retention/threaded-retention-records.js';
import { ThreadedWebhookRecords } from '../webhooks/threaded-webhook-records.js';
import type { WebhookRecords } from '../webhooks/webhook-records.js';
import { ThreadedDeviceHealthRecords } from '../device-health/threaded-device-health-records.js';
import type { DeviceHealthRecords } from '../device-health/device-health-records.js';
import { siblingModule } from '../../../shared/threads/worker-script.js';
import { planProjection } from '../projection/plan.js';
import type { ConnectionBatch } from '../connection-records.js';
import type { SqlEntityStore } from '../sql-entity-store.js';
import type {
  AdmittedDevice,
  CartMaintenance,
  CartPage,
  CartQuery,
  AlertPage,
  AlertTransition,
  AlertTransitionResult,
  AlertView,
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
} from '../entity-store.js';
import type {
  AccountRecord,
  CustomerRecords,
  DsarRequest,
  DsarState,
  NewAccount,
} from '../customers/customer-records.js';
import type { CommandRecords } from '../commands/command-records.js';
import type { ShadowRecords } from '../shadows/shadow-records.js';
import type {
  HealthQuery,
  OtaTarget,
  RolloutJobRecord,
  RolloutRecord,
  RolloutState,
  OpeningHours,
  StoreSchedule,
  TargetFilter,
  VersionHealthSample,
} from '../ota/ota-types.js';
import { EntityFailure, type EntityErrorCode } from '../errors.js';
import type { EntityStoreOptions } from '../open-entity-store.js';

/**
 * The entity store in a worker thread of its own. PGlite is Postgres compiled to WebAssembly: its
 * queries run on the thread that calls it, and on the event loop they would compete with TLS,
 * MQTT and the API (bench:ingest measured the ingest capped near one core with projection on the
 * main thread). Every call crosses as one message; results come back structured-cloned.
 */
export class ThreadedEntityStore extends ThreadedRetentionRecords implements EntityStore {
  readonly #webhooks: ThreadedWebhookRecords;
  readonly #health: ThreadedDeviceHealthRecords;

  private constructor(thread: ThreadClient) {
    super(thread);
    this.#webhooks = new ThreadedWebhookRecords(thread);
    this.#health = new ThreadedDeviceHealthRecords(thread);
  }

  static async open(options: EntityStoreOptions): Promise<ThreadedEntityStore> {
    const thread = await ThreadClient.start(
      siblingModule(import.meta.url, 'entity-store-worker'),
      options,
      'entity store',
      (error) =>
        error.code
          ? new EntityFailure(error.code as EntityErrorCode, error.message)
          : new Error(error.message),
    );
    return new ThreadedEntityStore(thread);
  }

  migrate(): Promise<void> {
    return this.#call('migrate');
  }
  upsertStore(store: StoreRecord): Promise<void> {
    return this.#call('upsertStore', store);
  }
  upsertDevice(device: AdmittedDevice): Promise<void> {
    return this.#call('upsertDevice', device);
  }
  recordConnection(deviceId: string, connected: boolean, at: number): Promise<void> {
    return this.#call('recordConnection', deviceId, connected, at);
  }
  recordConnections(batch: ConnectionBatch): Promise<void> {
    return this.#call('recordConnections', batch);
  }
  /**
   * Folded here, before crossing: a batch of a thousand events becomes about one row per device,
   * and the structured clone of the events cost the event loop more than folding them.
   */
  project(events: readonly IngestedEvent[]): Promise<ProjectionOutcome> {
    if (events.length === 0) return Promise.resolve({ merges: [] });
    return this.#call('projectPlan', planProjection(events));
  }
  getDevice(deviceId: string): Promise<DeviceView | undefined> {
    return this.#call('getDevice', deviceId);
  }
  listStoreDevices(storeId: string): Promise<DeviceView[]> {
    return this.#call('listStoreDevices', storeId);
  }
  getSession(sessionId: string): Promise<SessionView | undefined> {
    return this.#call('getSession', sessionId);
  }
  listSessionScans(sessionId: string): Promise<ScanView[]> {
    return this.#call('listSessionScans', sessionId);
  }
  listStoreSessions(storeId: string, query: StoreSessionQuery): Promise<SessionPage> {
    return this.#call('listStoreSessions', storeId, query);
  }
  getSessionLink(sessionId: string): Promise<SessionLink | undefined> {
    return this.#call('getSessionLink', sessionId);
  }
  createAccount(account: NewAccount): Promise<{ customerId: string; created: boolean }> {
    return this.#call('createAccount', account);
  }
  getAccount(customerId: string): Promise<AccountRecord | undefined> {
    return this.#call('getAccount', customerId);
  }
  findAccountByLoyalty(loyaltyDigest: string): Promise<string | undefined> {
    return this.#call('findAccountByLoyalty', loyaltyDigest);
  }
  attachAccount(
    sessionId: string,
    customerId: string,
  ): Promise<{ attached: boolean; merges: SessionMerge[] }> {
    return this.#call('attachAccount', sessionId, customerId);
  }
  putAppCode(codeDigest: string, customerId: string, expiresAt: number): Promise<void> {
    return this.#call('putAppCode', codeDigest, customerId, expiresAt);
  }
  redeemAppCode(codeDigest: string, sessionId: string, at: number): Promise<string | undefined> {
    return this.#call('redeemAppCode', codeDigest, sessionId, at);
  }
  listAccountSessions(customerId: string): Promise<SessionView[]> {
    return this.#call('listAccountSessions', customerId);
  }
  forgetAccount(customerId: string, at: number): Promise<{ sessionsUnlinked: number }> {
    return this.#call('forgetAccount', customerId, at);
  }
  putShoppingList(customerId: string, storeId: string, skus: readonly string[]): Promise<void> {
    return this.#call('putShoppingList', customerId, storeId, skus);
  }
  getShoppingList(customerId: string, storeId: string): Promise<string[]> {
    return this.#call('getShoppingList', customerId, storeId);
  }
  openDsarRequest(
    request: Parameters<CustomerRecords['openDsarRequest']>[0],
  ): Promise<DsarRequest> {
    return this.#call('openDsarRequest', request);
  }
  closeDsarRequest(
    requestId: string,
    state: 'completed' | 'refused',
    at: number,
    outcome: string,
  ): Promise<DsarRequest | undefined> {
    return this.#call('closeDsarRequest', requestId, state, at, outcome);
  }
  listDsarRequests(filter: { readonly state?: DsarState }): Promise<DsarRequest[]> {
    return this.#call('listDsarRequests', filter);
  }
  countAccountsByRegion(): ReturnType<CustomerRecords['countAccountsByRegion']> {
    return this.#call('countAccountsByRegion');
  }
  createRollout(rollout: RolloutRecord, jobs: readonly RolloutJobRecord[]): Promise<void> {
    return this.#call('createRollout', rollout, jobs);
  }
  getRollout(rolloutId: string): Promise<RolloutRecord | undefined> {
    return this.#call('getRollout', rolloutId);
  }
  listRollouts(filter: { readonly states?: readonly RolloutState[] }): Promise<RolloutRecord[]> {
    return this.#call('listRollouts', filter);
  }
  updateRollout(rollout: RolloutRecord): Promise<void> {
    return this.#call('updateRollout', rollout);
  }
  upsertOtaJobs(jobs: readonly RolloutJobRecord[]): Promise<void> {
    return this.#call('upsertOtaJobs', jobs);
  }
  listRolloutJobs(rolloutId: string): Promise<RolloutJobRecord[]> {
    return this.#call('listRolloutJobs', rolloutId);
  }
  getOtaJob(jobId: string): Promise<RolloutJobRecord | undefined> {
    return this.#call('getOtaJob', jobId);
  }
  listDeviceOtaJobs(deviceId: string): Promise<RolloutJobRecord[]> {
    return this.#call('listDeviceOtaJobs', deviceId);
  }
  listOtaTargets(filter: TargetFilter): Promise<OtaTarget[]> {
    return this.#call('listOtaTargets', filter);
  }
  getStoreSchedules(storeIds: readonly string[]): Promise<StoreSchedule[]> {
    return this.#call('getStoreSchedules', storeIds);
  }
  setMaintenanceWindows(
    storeId: string,
    windows: readonly string[],
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    return this.#call('setMaintenanceWindows', storeId, windows, change);
  }
  setOpeningHours(
    storeId: string,
    hours: OpeningHours | null,
    timezone: string | undefined,
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    return this.#call('setOpeningHours', storeId, hours, timezone, change);
  }
  measureVersionHealth(query: HealthQuery): Promise<VersionHealthSample> {
    return this.#call('measureVersionHealth', query);
  }
  upsertCatalogItems(storeId: string, items: readonly CatalogItem[]): Promise<number> {
    return this.#call('upsertCatalogItems', storeId, items);
  }
  listCatalogItems(storeId: string): Promise<CatalogItem[]> {
    return this.#call('listCatalogItems', storeId);
  }
  listTopCatalogItems(
    storeId: string,
    options: { readonly since: number; readonly limit: number },
  ): Promise<CatalogItem[]> {
    return this.#call('listTopCatalogItems', storeId, options);
  }
  listCarts(query: CartQuery): Promise<CartPage> {
    return this.#call('listCarts', query);
  }
  setMaintenance(
    deviceId: string,
    change: MaintenanceChange,
  ): Promise<CartMaintenance | undefined> {
    return this.#call('setMaintenance', deviceId, change);
  }
  acceptProximityNonce(
    deviceId: string,
    nonce: string,
    expiresAt: number,
    now: number,
  ): Promise<boolean> {
    return this.#call('acceptProximityNonce', deviceId, nonce, expiresAt, now);
  }
  getSessionEnd(sessionId: string): Promise<StoredSessionEnd | undefined> {
    return this.#call('getSessionEnd', sessionId);
  }
  listSessionWeightMismatches(sessionId: string): Promise<WeightMismatchScan[]> {
    return this.#call('listSessionWeightMismatches', sessionId);
  }
  getCheckout(
    key: { readonly sessionId: string } | { readonly receiptId: string },
  ): Promise<CheckoutRecord | undefined> {
    return this.#call('getCheckout', key);
  }
  recordCheckout(record: Omit<CheckoutRecord, 'attempts'>): Promise<CheckoutRecord> {
    return this.#call('recordCheckout', record);
  }
  listCheckoutWork(query: CheckoutWorkQuery): Promise<string[]> {
    return this.#call('listCheckoutWork', query);
  }
  recordAlert(alert: NewAlert): Promise<AlertView | undefined> {
    return this.#call('recordAlert', alert);
  }
  listStoreAlerts(storeId: string, query: StoreAlertQuery): Promise<AlertPage> {
    return this.#call('listStoreAlerts', storeId, query);
  }
  getAlert(alertId: string): Promise<AlertView | undefined> {
    return this.#call('getAlert', alertId);
  }
  transitionAlert(alertId: string, change: AlertTransition): Promise<AlertTransitionResult> {
    return this.#call('transitionAlert', alertId, change);
  }

  insertCommand(
    ...a: Parameters<CommandRecords['insertCommand']>
  ): ReturnType<CommandRecords['insertCommand']> {
    return this.#call('insertCommand', ...a);
  }
  getCommand(
    ...a: Parameters<CommandRecords['getCommand']>
  ): ReturnType<CommandRecords['getCommand']> {
    return this.#call('getCommand', ...a);
  }
  listDeviceCommands(
    ...a: Parameters<CommandRecords['listDeviceCommands']>
  ): ReturnType<CommandRecords['listDeviceCommands']> {
    return this.#call('listDeviceCommands', ...a);
  }
  listPendingCommands(
    ...a: Parameters<CommandRecords['listPendingCommands']>
  ): ReturnType<CommandRecords['listPendingCommands']> {
    return this.#call('listPendingCommands', ...a);
  }
  recordCommandResponse(
    ...a: Parameters<CommandRecords['recordCommandResponse']>
  ): ReturnType<CommandRecords['recordCommandResponse']> {
    return this.#call('recordCommandResponse', ...a);
  }
  expireCommands(
    ...a: Parameters<CommandRecords['expireCommands']>
  ): ReturnType<CommandRecords['expireCommands']> {
    return this.#call('expireCommands', ...a);
  }
  resendCommand(
    ...a: Parameters<CommandRecords['resendCommand']>
  ): ReturnType<CommandRecords['resendCommand']> {
    return this.#call('resendCommand', ...a);
  }
  getShadow(...a: Parameters<ShadowRecords['getShadow']>): ReturnType<ShadowRecords['getShadow']> {
    return this.#call('getShadow', ...a);
  }
  writeShadowDesired(
    ...a: Parameters<ShadowRecords['writeShadowDesired']>
  ): ReturnType<ShadowRecords['writeShadowDesired']> {
    return this.#call('writeShadowDesired', ...a);
  }
  recordShadowReport(
    ...a: Parameters<ShadowRecords['recordShadowReport']>
  ): ReturnType<ShadowRecords['recordShadowReport']> {
    return this.#call('recordShadowReport', ...a);
  }
  listDesiredShadows(
    ...a: Parameters<ShadowRecords['listDesiredShadows']>
  ): ReturnType<ShadowRecords['listDesiredShadows']> {
    return this.#call('listDesiredShadows', ...a);
  }
  recordDeviceRejects(
    ...a: Parameters<DeviceHealthRecords['recordDeviceRejects']>
  ): ReturnType<DeviceHealthRecords['recordDeviceRejects']> {
    return this.#health.recordDeviceRejects(...a);
  }
  listTopErrorDevices(
    ...a: Parameters<DeviceHealthRecords['listTopErrorDevices']>
  ): ReturnType<DeviceHealthRecords['listTopErrorDevices']> {
    return this.#health.listTopErrorDevices(...a);
  }

  // Webhooks and their delivery log: see webhooks/threaded-webhook-records.ts.
  addWebhook(...a: Parameters<WebhookRecords['addWebhook']>) {
    return this.#webhooks.addWebhook(...a);
  }
  getWebhook(...a: Parameters<WebhookRecords['getWebhook']>) {
    return this.#webhooks.getWebhook(...a);
  }
  listWebhooks() {
    return this.#webhooks.listWebhooks();
  }
  removeWebhook(...a: Parameters<WebhookRecords['removeWebhook']>) {
    return this.#webhooks.removeWebhook(...a);
  }
  enqueueWebhookEvent(...a: Parameters<WebhookRecords['enqueueWebhookEvent']>) {
    return this.#webhooks.enqueueWebhookEvent(...a);
  }
  claimDueDeliveries(...a: Parameters<WebhookRecords['claimDueDeliveries']>) {
    return this.#webhooks.claimDueDeliveries(...a);
  }
  recordDeliveryAttempt(...a: Parameters<WebhookRecords['recordDeliveryAttempt']>) {
    return this.#webhooks.recordDeliveryAttempt(...a);
  }
  listDeliveries(...a: Parameters<WebhookRecords['listDeliveries']>) {
    return this.#webhooks.listDeliveries(...a);
  }

  /** The embedded database's files at one instant, for a backup; undefined on PostgreSQL. */
  snapshotEmbedded(): Promise<Uint8Array | undefined> {
    return this.thread.call('snapshotEmbedded', []);
  }

  close(): Promise<void> {
    return this.thread.close();
  }

  #call<T>(method: keyof SqlEntityStore, ...args: unknown[]): Promise<T> {
    return this.thread.call(method, args);
  }
}
