// What starting the platform takes and what it hands back: the seam between startPlatform and
// the CLI, tests and embedders.
import type { ApiDeps } from '../surfaces/api/api-deps.js';
import type { AuditLog } from '../stores/audit/audit-log.js';
import type { CustomerWiring } from './customer-wiring.js';
import type { CommandWiring } from './command-wiring.js';
import type { PublishOptions } from '../edge/broker/device-broker.js';
import type { BlobStore } from '../stores/blobs/blob-store.js';
import type { OtaImages } from '../domain/ota/images/ota-images-wiring.js';
import type { LiveWiring } from './live-wiring.js';
import type { WebhookWiring } from './webhook-wiring.js';
import type { RolloutEngine } from '../domain/ota/rollout/rollout-engine.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { IdentityContext, RevocationWatcher } from '../edge/identity/index.js';
import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import type { InboundMessage, IngestOutcome } from '../pipeline/ingest/ingest-pipeline.js';
import type { KeyProvider } from '../stores/keys/index.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import type { PaymentGateway } from '../domain/payment-bridge/payment-gateway.js';
import type { TelemetryStore } from '../stores/telemetry/telemetry-store.js';
import type { PlatformConfig } from './platform-config.js';
import type { PlatformLayout } from './platform-layout.js';
import type { ApiTrust } from './api-transport.js';

export interface PlatformDeps {
  /** Opens the entity store (PGlite under DIR, or PostgreSQL at config.entityUrl). */
  readonly openEntities: (config: PlatformConfig, layout: PlatformLayout) => Promise<EntityStore>;
  /**
   * Opens the audit log. Without one the API still serves reads, but refuses staff overrides
   * (they are never made unaudited) and the compliance report says no log is configured.
   */
  readonly openAudit?: (config: PlatformConfig, layout: PlatformLayout) => Promise<AuditLog>;
  /** Billing prices and the compliance report's providers (privacy and residency services). */
  readonly api?: Pick<ApiDeps, 'billing' | 'dsarOpen' | 'residency' | 'webDist'>;
  readonly log?: Logger;
  readonly now?: () => number;
  readonly version?: string;
  /**
   * The payment service, instead of the HTTPS bridge to config.paymentUrl (tests). The caller owns
   * it (and closes it). Without either, checkouts are recorded payment-unavailable and retried
   * until a platform with a gateway reconciles them, and card taps stay guests.
   */
  readonly paymentGateway?: PaymentGateway;
  /** Data keys (receipts, vault, seal key): the local keyring or KMS per config by default. */
  readonly keys?: KeyProvider;
  /** Told each slow step as it begins ("opening the entity store"), for a progress line. */
  readonly progress?: (step: string) => void;
}

export interface RunningPlatform {
  readonly mqttUrl: string;
  /** https://localhost:PORT by default (http:// when asked for plain HTTP on loopback). */
  readonly apiUrl: string;
  /** The PEM (and its file) a client trusts to reach apiUrl when the fleet CA issued its certificate. */
  readonly apiTrust?: ApiTrust;
  /** The device API (HTTPS, mutual TLS), e.g. https://localhost:8443. */
  readonly deviceApiUrl: string;
  readonly layout: PlatformLayout;
  readonly caCreated: boolean;
  readonly metrics: PlatformMetrics;
  readonly identity: IdentityContext;
  readonly telemetry: TelemetryStore;
  readonly entities: EntityStore;
  readonly blobs: BlobStore;
  readonly projector: EntityProjector;
  readonly revocations: RevocationWatcher;
  /** The command ledger and the device shadow (the API's, and the sweep's). */
  readonly commands: CommandWiring['commands'];
  readonly shadows: CommandWiring['shadows'];
  /** Firmware images in the blob store and the signed URLs ota-jobs carry. */
  readonly ota: Pick<OtaImages, 'images' | 'urls'> & { readonly rollouts: RolloutEngine };
  /** The bus behind GET /v1/stream (decision 023). */
  readonly live: LiveWiring['bus'];
  /** The vaults, field cipher and audit log of the identity service (the demo adds a member). */
  readonly customers: CustomerWiring['stores'];
  /** Enqueues an event for every webhook that takes its kind (the alarm engine's way out). */
  readonly enqueueWebhookEvent: WebhookWiring['enqueueWebhookEvent'];
  /** Lets a test or embedder feed a message as if a broker had delivered it. */
  ingest(message: InboundMessage): Promise<IngestOutcome>;
  /** Publishes as the cloud (QoS 1), as the session link does: a command on cmd/<id>/request. */
  publish(topic: string, payload: Buffer, options?: PublishOptions): Promise<void>;
  stop(): Promise<void>;
}
