// The worker side of ThreadedTelemetryStore: owns the SQLite file and answers one message per
// call. Appends arrive packed (packed-records.ts); everything else as plain arguments.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteTelemetryStore, type SqliteTelemetryOptions } from '../sqlite-telemetry-store.js';
import type { TelemetryStore } from '../telemetry-store.js';
import { unpackRecords, type PackedRecords } from './packed-records.js';

interface Call {
  readonly id: number;
  readonly method: keyof TelemetryStore | 'appendPacked';
  readonly args: unknown[];
}

const port = parentPort!;
const { file, options } = workerData as { file: string; options: SqliteTelemetryOptions };
let store: SqliteTelemetryStore | undefined;
try {
  store = new SqliteTelemetryStore(file, options);
  port.postMessage({ id: 0, result: 'ready' });
} catch (error) {
  port.postMessage({ id: 0, error: { message: String(error) } });
}

port.on('message', (call: Call) => {
  const target = store;
  if (!target) return;
  const result =
    call.method === 'appendPacked'
      ? target.append(unpackRecords(call.args[0] as PackedRecords))
      : (target[call.method] as (...args: unknown[]) => Promise<unknown>).apply(target, call.args);
  result.then(
    (value) => port.postMessage({ id: call.id, result: value }),
    (error: unknown) =>
      port.postMessage({
        id: call.id,
        error: { message: error instanceof Error ? error.message : String(error) },
      }),
  );
});
