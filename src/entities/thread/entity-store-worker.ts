// The worker side of ThreadedEntityStore: opens the real entity store in this thread and answers
// calls from the main thread one message each.
import { parentPort, workerData } from 'node:worker_threads';
import { isFailure } from '../../failure.js';
import { openEntityStore, type EntityStoreOptions } from '../open-entity-store.js';
import type { SqlEntityStore } from '../sql-entity-store.js';

interface Call {
  readonly id: number;
  readonly method: keyof SqlEntityStore;
  readonly args: unknown[];
}

const port = parentPort!;
let store: SqlEntityStore | undefined;

try {
  store = await openEntityStore(workerData as EntityStoreOptions);
  port.postMessage({ id: 0, result: 'ready' });
} catch (error) {
  port.postMessage({ id: 0, error: serialise(error) });
}

port.on('message', (call: Call) => {
  const target = store;
  if (!target) return;
  const method = target[call.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(target, call.args).then(
    (result) => port.postMessage({ id: call.id, result }),
    (error: unknown) => port.postMessage({ id: call.id, error: serialise(error) }),
  );
});

function serialise(error: unknown): { message: string; code?: string } {
  if (isFailure(error)) return { message: error.message, code: error.code };
  return { message: error instanceof Error ? error.message : String(error) };
}
