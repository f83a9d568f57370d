import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExternalBrokerSource } from '../edge/broker/external-broker.js';
import { loadFleetCa, openIdentity, RevocationWatcher } from '../edge/identity/index.js';
import type { InboundMessage, IngestOutcome } from '../pipeline/ingest/ingest-pipeline.js';
import { RegistryDeviceDirectory } from '../pipeline/ingest/device-directory.js';
import {
  InlineVerifier,
  WorkerVerifierPool,
  type SignatureVerifier,
} from '../pipeline/ingest/signature-verifier.js';
import { Failure } from '../shared/failure.js';
import { createLogger, type Logger } from '../shared/observability/logger.js';
import { PlatformMetrics } from '../shared/observability/metrics.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import { DynamoDbTelemetryStore } from '../stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { parseDynamoDbTelemetryUrl } from '../stores/telemetry/dynamodb/telemetry-url.js';
import { StoredLag } from './stored-lag.js';
import { wireIngest, type QueuedOutcome } from './ingest-wiring.js';
import type { PlatformConfig } from './platform-config.js';
import { platformLayout } from './platform-layout.js';

export class IngestRoleFailure extends Failure<'ingest-role'> {}

export interface RunningIngest {
  /** Where /healthz answers (plain HTTP). */
  readonly healthUrl: string;
  readonly brokerUrl: string;
  stop(): Promise<void>;
}

/**
 * `fleetplane start --role ingest` (decision 059): one member of the external broker's shared
 * subscription that verifies and stores, and nothing else. The API, projector, OTA, alarms and
 * webhooks run once, in the `--role api` process; it reads what ingest stored through the
 * telemetry store's change feed. So the telemetry store must be one every process shares (its
 * dedup on device and counter is what makes "stored once" hold across processes): DynamoDB.
 * The data directory is only read (CA, device registry, CRLs), so several ingest processes and
 * the API process share one; the API process, started first, owns its lock.
 */
export async function startIngestProcess(
  config: PlatformConfig,
  deps: {
    readonly openEntities: (config: PlatformConfig) => Promise<EntityStore>;
    readonly log?: Logger;
    readonly now?: () => number;
  },
): Promise<RunningIngest> {
  const { externalBroker, telemetryUrl, entityUrl } = config;
  if (!externalBroker || !telemetryUrl || !entityUrl) {
    throw new IngestRoleFailure(
      'ingest-role',
      '--role ingest needs --broker-url (the shared subscription), --telemetry-url dynamodb://… (a store every process shares: its dedup makes each message stored once) and --entity-url postgres://… (reject counts)',
    );
  }
  const log = deps.log ?? createLogger();
  const now = deps.now ?? Date.now;
  const cleanup: (() => Promise<unknown>)[] = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    const identity = openIdentity(config.dataDir, { now: () => new Date(now()) });
    const ca = await loadFleetCa(identity.layout);
    const revocations = new RevocationWatcher(identity.layout, {
      intervalMs: config.revocationPollMs ?? 5000,
    });
    await revocations.start();
    cleanup.push(async () => revocations.stop());
    const telemetry = await DynamoDbTelemetryStore.open({
      ...parseDynamoDbTelemetryUrl(telemetryUrl),
      ...(config.retentionDays !== undefined ? { retentionDays: config.retentionDays } : {}),
    });
    cleanup.push(() => telemetry.close());
    const entities = await deps.openEntities(config);
    cleanup.push(() => entities.close());
    const verifier: SignatureVerifier =
      config.verifyThreads === 0
        ? new InlineVerifier()
        : new WorkerVerifierPool(config.verifyThreads);
    cleanup.push(() => verifier.close());
    const directory = new RegistryDeviceDirectory(identity.devices, (id) =>
      revocations.isDeviceRevoked(id),
    );
    const metrics = new PlatformMetrics({ processMetrics: true });
    // What this process took from the shared subscription and stored, on /healthz: its share.
    const handled = { taken: 0, rejected: 0, stored: 0 };
    const lag = new StoredLag();
    const { handler, drain } = await wireIngest({
      ...{ config, telemetry, directory, verifier, metrics, log, now, entities },
      // The API process's projector follows the shared store's change feed.
      projector: {
        offer: (events) => {
          const at = now();
          handled.stored += events.length;
          for (const event of events) lag.record(at - event.deviceTime);
        },
      },
      // Called only once messages flow, which is after the broker below exists.
      feedback: (topic: string, payload: Buffer) => broker.publish(topic, payload),
    });
    const ingest: (message: InboundMessage) => Promise<IngestOutcome | QueuedOutcome> = handler;
    const broker = new ExternalBrokerSource({
      config: externalBroker,
      ...{ layout: platformLayout(config.dataDir), identity, ca, log, now },
      handler: async (message: InboundMessage) => {
        const outcome = await ingest(message);
        handled[outcome.status === 'rejected' ? 'rejected' : 'taken'] += 1;
        return outcome;
      },
    });
    cleanup.push(async () => {
      await broker.close();
      await drain();
    });
    const { url: brokerUrl } = await broker.start();
    const health = await serveHealth(config.api.host, config.api.port, () => ({
      status: 'ok',
      role: 'ingest',
      broker: brokerUrl,
      messages: handled,
      stored_lag_ms: lag.report(),
    }));
    cleanup.push(() => new Promise((resolve) => health.close(resolve)));
    const { port } = health.address() as AddressInfo;
    log.info({ broker: brokerUrl, health: port }, 'ingest process consuming');
    let stopping: Promise<void> | undefined;
    return {
      healthUrl: `http://${config.api.host}:${port}/healthz`,
      brokerUrl,
      stop: () => (stopping ??= undo()),
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** /healthz only: an ingest process has no API, but its container needs a health check. */
function serveHealth(host: string, port: number, report: () => object): Promise<Server> {
  const server = createServer((request, response) => {
    const found = request.url === '/healthz';
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        found
          ? report()
          : { error: 'not-found', message: 'an ingest process serves /healthz only' },
      ),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
