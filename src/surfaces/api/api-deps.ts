import type { SnapshotDatabase } from './backup-routes.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { RunFleetAudit } from '../../domain/fleet-audit/fleet-audit.js';
import type { SecureContextOptions } from 'node:tls';
import type { AuditLog } from '../../stores/audit/audit-log.js';
import type { BillingConfig } from '../../domain/billing/billing-config.js';
import type { Receipts } from '../../domain/checkout/receipts.js';
import type { EntityStore, StoreRecord } from '../../stores/entities/entity-store.js';
import type { DeviceDirectory } from '../../pipeline/ingest/device-directory.js';
import type { EntityProjector } from '../../pipeline/ingest/entity-projector.js';
import type { ProjectionLog } from '../../pipeline/ingest/projection-log.js';
import type { IngestQueue } from '../../pipeline/ingest-queue/ingest-queue.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import type { TokenKeys } from './tokens.js';
import type { CommandService } from '../../domain/commands/command-service.js';
import type { ShadowService } from '../../domain/shadow/shadow-service.js';
import type { CustomerApiDeps } from './customer-api-deps.js';
import type { ImageStore } from '../../domain/ota/images/image-store.js';
import type { OtaApiDeps } from '../../domain/ota/api/ota-api-deps.js';
import type { LiveApi } from '../live/live-api.js';
import type { MetricHistoryReader } from '../../shared/observability/metric-history.js';
import type { AlarmService } from '../../domain/alarms/alarm-service.js';
import type { WebhookService } from '../webhooks/webhook-service.js';
import type { IntegrationService } from '../integrations/integration-service.js';
import type { RetentionControl } from '../../domain/retention/retention-control.js';
import type { RegisteredDevice } from '../../domain/fleet-ops/fleet-diff.js';

export interface ApiDeps {
  readonly entities: EntityStore;
  readonly telemetry: TelemetryStore;
  readonly projectionLog: ProjectionLog;
  readonly projector: EntityProjector;
  /** The ingest queue's dead letters (decision 055); without it those routes answer 503. */
  readonly ingestQueue?: Pick<IngestQueue, 'kind' | 'deadLetters'>;
  readonly storeExists: (storeId: string) => Promise<boolean>;
  readonly tokenKeys: TokenKeys;
  /** Signed receipts in the blob store, and the key that verifies them. */
  readonly receipts: Pick<Receipts, 'read' | 'signer'>;
  readonly metrics: PlatformMetrics;
  readonly health: () => Promise<Record<string, unknown>>;
  readonly version: string;
  readonly now?: () => Date;
  /** The identity service and data-subject requests; absent: those routes answer 503. */
  readonly customers?: CustomerApiDeps;
  /** The registry view ingest uses: proximity proofs are checked against registered keys. */
  readonly devices: Pick<DeviceDirectory, 'lookup'>;
  /** Publishes as the cloud (QoS 1): staff commands and shadow documents (retained) to carts. */
  readonly publish: (
    topic: string,
    payload: Buffer,
    options?: { readonly retain?: boolean },
  ) => Promise<void>;
  /** The command ledger and the device shadow; absent: the routes make their own over entities. */
  readonly commands?: CommandService;
  readonly shadows?: ShadowService;
  /** Who did what to which cart or person. Without one, staff overrides are refused (503). */
  readonly audit?: AuditLog;
  /** Prices and unit costs for GET /v1/billing; DEFAULT_BILLING fills what is left out. */
  readonly billing?: Partial<BillingConfig>;
  /** Open data-subject requests, from the privacy service when there is one. */
  readonly dsarOpen?: () => Promise<unknown[]>;
  /** Where each kind of data lives, from the residency service when there is one. */
  readonly residency?: () => Promise<unknown>;
  /** Firmware images in the blob store; without them the upload route answers 503. */
  readonly otaImages?: Pick<ImageStore, 'put'>;
  /** Rollouts; without them the rollout routes answer 503. */
  readonly ota?: OtaApiDeps;
  /** The live stream (GET /v1/stream), and the bus routes tell of changes they make. */
  readonly live?: LiveApi;
  /** Rule sets and the alarms they raise (decision 035); without it those routes answer 503. */
  readonly alarms?: Pick<AlarmService, 'ruleSets' | 'putRuleSet' | 'transition'>;
  /** The metric history the ops console charts; without it the route answers 503. */
  readonly metricHistory?: MetricHistoryReader;
  /**
   * A store's catalog was written through the API: its carts are told the new version (the
   * catalog push). Without it carts see the change at their next boot or sync-catalog command.
   */
  readonly catalogChanged?: (
    storeId: string,
  ) => Promise<{ readonly version: string; readonly carts: number }>;
  /** The store registry (name, region, time zone); without it GET /v1/stores answers 503. */
  readonly listStores?: () => Promise<readonly StoreRecord[]>;
  /** Webhooks for alarms (issue 18); without them the /v1/webhooks routes answer 503. */
  readonly webhooks?: WebhookService;
  /** The running platform's retention job (decision 063), once its stores are open. */
  readonly retention?: () => RetentionControl | undefined;
  /** Integrations (decision 058); without them the /v1/integrations routes answer 503. */
  readonly integrations?: IntegrationService;
  /** Where a request that fails with 500 is logged, with its error. */
  readonly log?: Logger;
  /** The fleet security audit (decision 047); without it GET /v1/audit answers 503. */
  readonly fleetAudit?: RunFleetAudit;
  /** A store's devices in the device registry, for the fleet diff; without it that route answers 503. */
  readonly registeredDevices?: (storeId: string) => Promise<readonly RegisteredDevice[]>;
  /** Serve over HTTPS with this key, chain and policy; plain HTTP without (loopback only). */
  readonly https?: SecureContextOptions;
  /** The built console (index.html, assets/); the package's web/dist by default. */
  readonly webDist?: string;
  /**
   * Where browsers reach the console, when not at this API's own port on `localhost` (a proxy,
   * a real host name): its host is the passkeys' relying party id, its origin the only one
   * accepted.
   */
  readonly publicUrl?: string;
  /** A tar of an embedded database at one instant, for `fleetplane backup` (decision 064). */
  readonly backupSnapshot?: (database: SnapshotDatabase) => Promise<Uint8Array | undefined>;
}
