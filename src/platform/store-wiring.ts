import type { TelemetryStore } from '../stores/telemetry/telemetry-store.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { IdentityContext } from '../edge/identity/index.js';
import { SqliteProjectionLog } from '../pipeline/ingest/sqlite-projection-log.js';
import { ThreadedTelemetryStore } from '../stores/telemetry/thread/threaded-telemetry-store.js';
import type { PlatformConfig } from './platform-config.js';
import { Failure } from '../shared/failure.js';
import { DynamoDbTelemetryStore } from '../stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { parseDynamoDbTelemetryUrl } from '../stores/telemetry/dynamodb/telemetry-url.js';
import type { BlobStore } from '../stores/blobs/blob-store.js';
import { DirectoryBlobStore } from '../stores/blobs/directory-blob-store.js';
import { S3BlobStore } from '../stores/blobs/s3/s3-blob-store.js';
import { parseS3BlobUrl } from '../stores/blobs/s3/blob-url.js';
import type { PlatformLayout } from './platform-layout.js';

/**
 * Opens the telemetry store, the projection log and the entity store (migrated, with every
 * registered store known to it), pushing each one's close onto `cleanup` as soon as it is open,
 * so a later failure closes what opened.
 */
export async function openPlatformStores(options: {
  readonly config: PlatformConfig;
  readonly layout: PlatformLayout;
  readonly identity: IdentityContext;
  readonly openEntities: (config: PlatformConfig, layout: PlatformLayout) => Promise<EntityStore>;
  readonly cleanup: (() => Promise<unknown>)[];
  readonly progress: (step: string) => void;
}) {
  const { config, layout, identity, cleanup, progress } = options;
  const telemetry = await openTelemetry(config, layout, progress);
  cleanup.push(() => telemetry.close());
  const projectionLog = new SqliteProjectionLog(layout.projectionDb);
  cleanup.push(() => projectionLog.close());
  progress(
    config.entityUrl
      ? 'opening the entity store (PostgreSQL)'
      : `opening the entity store (${layout.entitiesDir})`,
  );
  const entities = await options.openEntities(config, layout);
  cleanup.push(() => entities.close());
  await entities.migrate();
  for (const store of await identity.stores.list()) {
    await entities.upsertStore({
      storeId: store.id,
      name: store.name,
      region: store.region,
      timezone: store.timezone,
    });
  }
  // An exact count reads all of a DynamoDB table: the health endpoint takes its own estimate.
  const telemetryEvents =
    telemetry instanceof DynamoDbTelemetryStore
      ? () => telemetry.approximateCount()
      : () => telemetry.count();
  return { telemetry, telemetryEvents, projectionLog, entities };
}

/** SQLite on a worker thread by default; DynamoDB with `--telemetry-url` (decision 054). */
async function openTelemetry(
  config: PlatformConfig,
  layout: PlatformLayout,
  progress: (step: string) => void,
): Promise<TelemetryStore> {
  const retention =
    config.retentionDays !== undefined ? { retentionDays: config.retentionDays } : {};
  if (config.telemetryUrl) {
    const location = parseDynamoDbTelemetryUrl(config.telemetryUrl);
    progress(`opening the telemetry store (DynamoDB table ${location.table})`);
    return DynamoDbTelemetryStore.open({ ...location, ...retention }).catch((error: unknown) => {
      throw unavailable('telemetry', config.telemetryUrl!, error);
    });
  }
  progress(`opening the telemetry store (${layout.telemetryDb})`);
  return ThreadedTelemetryStore.open(layout.telemetryDb, retention);
}

/** Files under DIR/blobs by default; an S3 bucket with `--blob-url` (decision 054). */
export async function openBlobStore(
  config: PlatformConfig,
  layout: PlatformLayout,
  cleanup: (() => Promise<unknown>)[],
): Promise<BlobStore> {
  if (!config.blobUrl) return new DirectoryBlobStore(layout.blobsDir);
  const url = config.blobUrl;
  const store = await S3BlobStore.open(parseS3BlobUrl(url)).catch((error: unknown) => {
    throw unavailable('blob', url, error);
  });
  cleanup.push(() => store.close());
  return store;
}

export class StoreUnavailableFailure extends Failure<'store-unavailable'> {}

/** An engine that did not answer, or refused: said with the flag that chose it. */
function unavailable(kind: 'telemetry' | 'blob', url: string, error: unknown): Failure {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StoreUnavailableFailure(
    'store-unavailable',
    `the ${kind} store at --${kind}-url ${url} could not be opened (${why}); check the server, and the AWS credentials and region the SDK finds`,
    { cause: error },
  );
}
