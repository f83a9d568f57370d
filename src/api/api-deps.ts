import type { Receipts } from '../checkout/receipts.js';
import type { EntityStore } from '../entities/entity-store.js';
import type { EntityProjector } from '../ingest/entity-projector.js';
import type { ProjectionLog } from '../ingest/projection-log.js';
import type { PlatformMetrics } from '../observability/metrics.js';
import type { TelemetryStore } from '../telemetry/telemetry-store.js';
import type { TokenKeys } from './tokens.js';

export interface ApiDeps {
  readonly entities: EntityStore;
  readonly telemetry: TelemetryStore;
  readonly projectionLog: ProjectionLog;
  readonly projector: EntityProjector;
  readonly storeExists: (storeId: string) => Promise<boolean>;
  readonly tokenKeys: TokenKeys;
  /** Signed receipts in the blob store, and the key that verifies them. */
  readonly receipts: Pick<Receipts, 'read' | 'signer'>;
  readonly metrics: PlatformMetrics;
  readonly health: () => Promise<Record<string, unknown>>;
  readonly version: string;
  readonly now?: () => Date;
}
