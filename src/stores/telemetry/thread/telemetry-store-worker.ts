// The worker side of ThreadedTelemetryStore: owns the SQLite file and answers one message per
// call. Appends arrive packed (packed-records.ts); everything else as plain arguments.
import { workerData } from 'node:worker_threads';
import { serveCalls } from '../../../shared/threads/serve-calls.js';
import { SqliteTelemetryStore, type SqliteTelemetryOptions } from '../sqlite-telemetry-store.js';
import { unpackRecords, type PackedRecords } from './packed-records.js';

const { file, options } = workerData as { file: string; options: SqliteTelemetryOptions };

await serveCalls(() => new SqliteTelemetryStore(file, options), {
  appendPacked: (store, packed) => store.append(unpackRecords(packed as PackedRecords)),
});
