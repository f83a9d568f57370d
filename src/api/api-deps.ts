import type { EntityStore } from '../entities/entity-store.js';
import type { EntityProjector } from '../ingest/entity-projector.js';
import type { ProjectionLog } from '../ingest/projection-log.js';
import type { PlatformMetrics } from '../observability/metrics.js';
import type { TelemetryStore } from '../telemetry/telemetry-store.js';
import type { TokenKeys } from './tokens.js';
import type { CustomerApiDeps } from './customer-api-deps.js';

export interface ApiDeps {
  readonly entities: EntityStore;
  readonly telemetry: TelemetryStore;
  readonly projectionLog: ProjectionLog;
  readonly projector: EntityProjector;
  readonly storeExists: (storeId: string) => Promise<boolean>;
  readonly tokenKeys: TokenKeys;
  readonly metrics: PlatformMetrics;
  readonly health: () => Promise<Record<string, unknown>>;
  readonly version: string;
  readonly now?: () => Date;
  /** The identity service and data-subject requests; absent: those routes answer 503. */
  readonly customers?: CustomerApiDeps;
}
