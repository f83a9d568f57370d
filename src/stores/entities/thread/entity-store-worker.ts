// The worker side of ThreadedEntityStore: opens the real entity store in this thread and answers
// calls from the main thread one message each.
import { workerData } from 'node:worker_threads';
import { serveCalls } from '../../../shared/threads/serve-calls.js';
import { openEntityStore, type EntityStoreOptions } from '../open-entity-store.js';

await serveCalls(() => openEntityStore(workerData as EntityStoreOptions));
