import { resolve } from 'node:path';
import { openCustomerStores } from '../../domain/customers/customer-stores.js';
import type { RetentionStores } from '../../domain/retention/retention-job.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { DirectoryBlobStore } from '../../stores/blobs/directory-blob-store.js';
import { assertPlatformNotRunning } from '../../stores/data-dir/index.js';
import { openEntityStore } from '../../stores/entities/index.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import { DynamoDbTelemetryStore } from '../../stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { parseDynamoDbTelemetryUrl } from '../../stores/telemetry/dynamodb/telemetry-url.js';
import { SqliteTelemetryStore } from '../../stores/telemetry/sqlite-telemetry-store.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';

/**
 * Opens every store retention works on, of a data directory the platform is not running on (the
 * embedded databases take one process at a time; the running platform applies retention itself,
 * daily). Closes them all when `work` settles.
 */
export async function withRetentionStores<T>(
  options: {
    readonly dataDir: string;
    readonly entityUrl?: string;
    readonly telemetryUrl?: string;
  },
  doing: string,
  work: (stores: RetentionStores) => Promise<T>,
): Promise<T> {
  const dataDir = resolve(options.dataDir);
  await assertPlatformNotRunning(dataDir, doing);
  const layout = platformLayout(dataDir);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const telemetry: TelemetryStore = options.telemetryUrl
      ? await DynamoDbTelemetryStore.open(parseDynamoDbTelemetryUrl(options.telemetryUrl))
      : new SqliteTelemetryStore(layout.telemetryDb);
    closers.push(() => telemetry.close());
    const entities = await openEntityStore({
      dataDir,
      ...(options.entityUrl !== undefined ? { url: options.entityUrl } : {}),
    });
    closers.push(() => entities.close());
    const customers = await openCustomerStores({ dataDir, keys: new LocalKeyring(dataDir) });
    closers.push(() => customers.close());
    return await work({
      telemetry,
      entities,
      vaults: customers.vaults,
      audit: customers.audit,
      blobs: new DirectoryBlobStore(layout.blobsDir),
    });
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}
