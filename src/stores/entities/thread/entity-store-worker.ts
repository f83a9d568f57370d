// The worker side of ThreadedEntityStore: opens the real entity store in this thread and answers
// calls from the main thread one message each.
import { workerData } from 'node:worker_threads';
import { serveCalls } from '../../../shared/threads/serve-calls.js';
import { openEntityStore, pgliteDir, type EntityStoreOptions } from '../open-entity-store.js';
import { snapshotPgliteDir } from '../sql/pglite-client.js';

const options = workerData as EntityStoreOptions;
await serveCalls(() => openEntityStore(options), {
  // The database is open in this thread only, so its copy for a backup is taken here.
  snapshotEmbedded: () =>
    options.url === undefined
      ? snapshotPgliteDir(pgliteDir(options.dataDir))
      : Promise.resolve(undefined),
});
