import { stat } from 'node:fs/promises';
import { buildApi } from '../surfaces/api/api-server.js';
import { registryByStore } from '../domain/fleet-ops/registry-by-store.js';
import { platformFleetSignals } from './fleet-signals-wiring.js';
import { platformFleetAudit } from './fleet-audit-wiring.js';
import { RefusalTally } from '../edge/broker/refusal-tally.js';
import { openKeyProvider } from '../stores/keys/index.js';
import { openPaymentGateway } from './payment-wiring.js';
import { backupSnapshots } from './backup/platform-snapshots.js';
import { openVaultsOfUsedRegions, residencyReport, wireCustomers } from './customer-wiring.js';
import { wireCommands } from './command-wiring.js';
import { readWallet } from '../domain/customers/customer-wallet.js';
import { CheckoutWorker } from '../domain/checkout/checkout-worker.js';
import { Reconciler } from '../domain/checkout/reconciler.js';
import { Receipts, ReceiptSigner } from '../domain/checkout/receipts.js';
import { syncCheckout } from '../domain/checkout/sync-checkout.js';
import { isStoreId } from '../contract/index.js';
import { loadTokenKeys } from '../surfaces/api/tokens.js';
import type { DeviceBroker, PublishOptions } from '../edge/broker/device-broker.js';
import { wirePendingWork } from './pending-work-wiring.js';
import { DeviceApi } from '../edge/device-api/device-api-server.js';
import { wireOtaImages } from '../domain/ota/images/ota-images-wiring.js';
import { wireOtaRollouts } from './ota-wiring.js';
import { NO_CLOCK_STEPS, watchClockSteps } from './clock-steps.js';
import { createBroker } from './broker-wiring.js';
import { wireIngest } from './ingest-wiring.js';
import { checkPortsFree, listening } from './listeners.js';
import { wireLive } from './live-wiring.js';
import { AlarmService } from '../domain/alarms/alarm-service.js';
import { periodic } from './periodic.js';
import { wireWebhooks } from './webhook-wiring.js';
import { wireIntegrations } from './integration-wiring.js';
import { wireFieldAssets } from './field-asset-wiring.js';
import { ensureServerIdentity } from '../edge/broker/server-identity.js';
import { initCa, openIdentity, RevocationWatcher } from '../edge/identity/index.js';
import { RegistryDeviceDirectory } from '../pipeline/ingest/device-directory.js';
import { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import {
  InlineVerifier,
  WorkerVerifierPool,
  type SignatureVerifier,
} from '../pipeline/ingest/signature-verifier.js';
import { LossPrevention } from '../domain/loss-prevention/loss-prevention.js';
import { createLogger } from '../shared/observability/logger.js';
import { PlatformMetrics } from '../shared/observability/metrics.js';
import { openBlobStore, openPlatformStores } from './store-wiring.js';
import { scheduleRetention } from './retention-wiring.js';
import type { PlatformConfig } from './platform-config.js';
import { platformLayout } from './platform-layout.js';
import { acquirePlatformLock, type PlatformLock } from './platform-lock.js';
import { serveWhileStarting } from './starting-server.js';
import { listenApi, resolveApiTransport } from './api-transport.js';
import type { PlatformDeps, RunningPlatform } from './running-platform.js';

export type { PlatformDeps, RunningPlatform };

/**
 * Starts the whole data plane in this process: identity, stores, verification, ingest, broker,
 * projection and the HTTP API. Stops in the reverse order; see `stop`.
 */
export async function startPlatform(
  config: PlatformConfig,
  deps: PlatformDeps,
): Promise<RunningPlatform> {
  const now = deps.now ?? Date.now;
  const clockSteps = deps.now ? NO_CLOCK_STEPS : watchClockSteps(now);
  const startedAt = new Date(now());
  const log = deps.log ?? createLogger();
  const layout = platformLayout(config.dataDir);
  const cleanup: (() => Promise<unknown>)[] = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };

  const lock: PlatformLock = await acquirePlatformLock(layout.root, layout.lock, new Date(now()));
  cleanup.push(() => lock.release());
  try {
    await checkPortsFree(config);
    const identity = openIdentity(config.dataDir, { now: () => new Date(now()) });
    const { created: caCreated, ca } = await initCa(identity.layout, new Date(now()));
    // First, so that an operator's certificate that does not fit stops the start before anything runs.
    const transport = await resolveApiTransport(config, {
      layout,
      ca,
      trustBundleFile: identity.layout.trustBundle,
      now: new Date(now()),
    });
    const starting = await listening('api', config.api.host, config.api.port, () =>
      serveWhileStarting(config.api, transport, deps.progress),
    );
    cleanup.push(() => starting.close());
    const revocations = new RevocationWatcher(identity.layout, {
      intervalMs: config.revocationPollMs ?? 5000,
    });
    await revocations.start();
    cleanup.push(async () => revocations.stop());

    const metrics = new PlatformMetrics({ processMetrics: true });
    const { telemetry, telemetryEvents, projectionLog, entities } = await openPlatformStores({
      ...{ config, layout, identity, cleanup, progress: starting.progress },
      openEntities: deps.openEntities,
    });
    const live = wireLive({ config, layout, entities, identity, metrics, log, now });
    cleanup.push(() => live.stop());
    const keys =
      deps.keys ??
      (await openKeyProvider({
        dataDir: config.dataDir,
        ...(config.kms ? { kms: config.kms } : {}),
      }));
    // Before anything that raises alarms: they enqueue through webhooks.enqueueWebhookEvent.
    const webhooks = wireWebhooks({ config, entities, log, now, keys });
    cleanup.push(() => webhooks.stop());
    const blobs = await openBlobStore(config, layout, cleanup);
    const receipts = new Receipts(blobs, await ReceiptSigner.fromKeys(keys));
    const ota = await wireOtaImages({ blobs, keys, clockStepsMs: () => clockSteps.totalMs() });

    const threads = config.verifyThreads;
    const verifier: SignatureVerifier =
      threads === 0 ? new InlineVerifier() : new WorkerVerifierPool(threads);
    cleanup.push(() => verifier.close());
    const directory = new RegistryDeviceDirectory(identity.devices, (id) =>
      revocations.isDeviceRevoked(id),
    );

    const projector = new EntityProjector(
      telemetry,
      entities,
      live.deadLetters(projectionLog),
      metrics,
      log,
      { now },
    );
    // Set once it exists: the customer wiring below publishes through it.
    let broker: DeviceBroker | undefined = undefined;
    const publish = (topic: string, payload: Buffer, options?: PublishOptions) =>
      broker ? broker.publish(topic, payload, options) : Promise.reject(new Error('no broker'));
    const payments = await openPaymentGateway(config, deps, cleanup);
    const customers = await wireCustomers({
      config,
      keys,
      entities,
      registry: identity,
      projector,
      ...(payments ? { payments } : {}),
      publish,
      metrics,
      log,
      now,
    });
    cleanup.push(() => customers.stores.close());
    const reconciler = new Reconciler({
      entities,
      receipts,
      ...(payments ? { gateway: payments } : {}),
      metrics,
      log,
      now,
    });
    const audit = deps.openAudit ? await deps.openAudit(config, layout) : customers.stores.audit;
    if (deps.openAudit) cleanup.push(() => audit.close());
    const checkouts = new CheckoutWorker({
      entities,
      reconcile: (sessionId) => reconciler.reconcile(sessionId),
      log,
      now,
    });
    projector.onApplied(checkouts.applied);
    const onRaised = live.alertRaised;
    projector.onApplied(new LossPrevention({ entities, metrics, log, onRaised }).applied);
    // Before projection starts: the first message is judged by the stored rule sets.
    // Fleet diff: a store's devices as provisioned (registered), indexed by store.
    const registeredDevices = registryByStore({
      list: () => identity.devices.list(),
      stamp: () =>
        stat(identity.layout.devicesDir).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
    });
    // Each change of an alarm's state goes to the ops live streams (decision 039) and to the
    // webhooks once: its id and kind make the event id.
    const alarms = new AlarmService({
      records: entities,
      log,
      now,
      fleet: platformFleetSignals({
        ...{ metrics, entities, projectionLog },
        ...{ stores: identity.stores, registered: registeredDevices },
      }),
      notify: async (event) => {
        const { kind, alarm } = event;
        live.alarmChanged(event);
        await webhooks.enqueueWebhookEvent({
          id: `${alarm.id}:${kind}`,
          kind,
          at: now(),
          payload: { alarm },
        });
      },
    });
    await alarms.start();
    projector.onApplied(alarms.applied);
    const integrations = await wireIntegrations({
      ...{ config, layout, telemetry, projectionLog, projector, keys, metrics, log, now },
    });
    cleanup.push(() => integrations.stop());
    const alarmSweep = periodic(config.alarmSweepMs ?? 30_000, async () => {
      await alarms
        .sweep()
        .catch((error: unknown) => log.error({ err: error }, 'alarm sweep failed'));
    });
    cleanup.push(() => alarmSweep.stop());
    const { coldchainRetentionDays } = config;
    const fieldAssets = wireFieldAssets({ entities, projector, log, now, coldchainRetentionDays });
    cleanup.push(() => fieldAssets.stop());
    const { queue, handler, direct, drain } = await wireIngest({
      ...{ config, telemetry, directory, verifier, metrics, log, now, entities, projector },
      feedback: publish,
    });
    cleanup.push(() => queue.close());
    // The broker's certificate serves the device API too, also beside an external broker.
    const server = await ensureServerIdentity(
      layout.brokerServer,
      ca,
      config.mqtt.hostnames,
      new Date(now()),
    );

    const refusals = new RefusalTally();
    const pendingWork = wirePendingWork(log);
    broker = createBroker({
      ...{ config, layout, identity, ca, revocations, server, handler, entities, directory },
      ...{ live: live.bus, metrics, log, now, refusals, subscribed: pendingWork.subscribed },
    });
    const activeBroker: DeviceBroker = broker;
    const ledger = wireCommands({ entities, projector, publish, metrics, log, now });
    live.follow(projector);
    projector.start();
    cleanup.push(() => projector.stop());
    checkouts.start();
    cleanup.push(() => checkouts.stop());
    // Closed also when it fails half-way (its port taken): the MQTT server's sweep and the
    // certificate watch run.
    cleanup.push(async () => {
      await activeBroker.close();
      await drain();
    });
    starting.progress('starting the MQTT broker');
    const { url: mqttUrl } = await listening('mqtt', config.mqtt.host, config.mqtt.port, () =>
      activeBroker.start(),
    );
    ledger.start();
    cleanup.push(() => ledger.stop());

    const deviceApi = new DeviceApi({
      host: config.mqtt.host,
      port: config.deviceApi.port,
      identity,
      ca,
      revocations,
      server,
      directory,
      catalogs: ledger.catalogs,
      metrics,
      log,
      now,
      ingest: direct,
      checkout: syncCheckout({
        ...{ entities, reconciler },
        // The cart's scans were acknowledged when they entered the queue (decision 055).
        projectStored: () => queue.settled().then(() => projector.projectNow()),
      }),
      sealKey: () => customers.stores.sealKeys.current(),
      firmware: ota,
    });
    cleanup.push(() => deviceApi.close());
    const { url: deviceApiUrl } = await listening(
      'device-api',
      config.mqtt.host,
      config.deviceApi.port,
      () => deviceApi.start(),
    );
    ota.deviceApiListening(deviceApiUrl);

    const rollouts = wireOtaRollouts({
      config,
      entities,
      projector,
      publish,
      images: ota,
      metrics,
      log,
      now,
      clockSteps,
      onChanged: live.rolloutChanged,
    });
    cleanup.push(() => rollouts.stop());
    pendingWork.ready({ commands: ledger.commands, jobs: rollouts.engine });

    const tokenKeys = await loadTokenKeys(layout.tokenKey);
    // Scheduled once the vaults are open, after the API listens; its routes answer 503 until then.
    const retention: { job?: ReturnType<typeof scheduleRetention> } = {};
    const api = await buildApi({
      https: transport.https,
      entities,
      telemetry,
      projectionLog,
      projector,
      // Not every route's schema holds the store id pattern: one that is not an id is no store.
      storeExists: async (id) => isStoreId(id) && (await identity.stores.get(id)) !== undefined,
      tokenKeys,
      receipts,
      metrics,
      version: deps.version ?? '0.0.0',
      now: () => new Date(now()),
      devices: directory,
      publish,
      ...ledger.api,
      audit,
      ingestQueue: queue,
      customers: {
        identity: customers.identity,
        dsar: customers.dsar,
        wallet: (id, actor) => readWallet({ entities, ...customers.stores }, id, actor),
      },
      dsarOpen: () => customers.dsar.list('open'),
      residency: () => residencyReport(entities, customers.stores.vaults),
      otaImages: ota.images,
      ota: rollouts.api,
      alarms,
      ...live.api,
      webhooks: webhooks.service,
      integrations: integrations.service,
      // Fleet diff: a store's devices as provisioned (registered), indexed by store.
      registeredDevices,
      fleetAudit: platformFleetAudit({ identity, entities, refusals, now, startedAt }),
      log,
      publicUrl: config.publicUrl,
      backupSnapshot: backupSnapshots(config, entities),
      retention: () => retention.job,
      ...deps.api,
      health: async () => ({
        broker: mqttUrl,
        telemetry_events: await telemetryEvents(),
        dead_letters: await projectionLog.countDeadLetters(),
      }),
    });
    cleanup.push(() => api.close());
    const apiUrl = await listening('api', config.api.host, starting.port, () =>
      starting.handOver((port) => listenApi(api, { ...config.api, port }, transport)),
    );
    await lock.announce({
      apiUrl,
      mqttUrl,
      deviceApiUrl,
      apiCaFile: transport.trust?.file,
      consoleUrl: config.publicUrl,
    });

    await openVaultsOfUsedRegions(customers.stores.vaults, identity, log);
    const scheduled = scheduleRetention({
      stores: { telemetry, entities, vaults: customers.stores.vaults, audit, blobs },
      ...{ log, metrics, now, lastRunFile: layout.retentionLastRun },
      ...(config.retentionDays !== undefined ? { telemetryHotDays: config.retentionDays } : {}),
    });
    retention.job = scheduled;
    cleanup.push(() => scheduled.stop());

    let stopping: Promise<void> | undefined;
    return {
      mqttUrl,
      apiUrl,
      ...(transport.trust ? { apiTrust: transport.trust } : {}),
      deviceApiUrl,
      layout,
      caCreated,
      metrics,
      identity,
      telemetry,
      entities,
      blobs,
      projector,
      revocations,
      commands: ledger.commands,
      shadows: ledger.shadows,
      ota: { ...ota, rollouts: rollouts.engine },
      live: live.bus,
      customers: customers.stores,
      enqueueWebhookEvent: webhooks.enqueueWebhookEvent,
      ingest: direct,
      publish,
      stop: () => (stopping ??= undo()),
    };
  } catch (error) {
    await undo();
    throw error;
  }
}
