import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Postgres' defaults size its buffers for a server of its own (128 MB of shared buffers, kept
 * resident inside the WebAssembly memory). An embedded store of a few thousand rows per table
 * needs a fraction: these keep one open instance near 150 MB instead of 300 MB (issue 16). The
 * files sit in the operating system's page cache either way.
 */
export const PGLITE_CONF = [
  'shared_buffers = 16MB',
  'temp_buffers = 2MB',
  'work_mem = 2MB',
  'maintenance_work_mem = 16MB',
  'wal_buffers = 512kB',
];

/**
 * Creates a new database directory (initdb) in a thread of its own that then ends. initdb leaves
 * some 500 MB of WebAssembly garbage that the collector of the thread that ran it gives back only
 * late; a thread that ends gives back everything at once. An existing directory is left alone.
 */
export async function initialiseApart(dir: string): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  const pglite = JSON.stringify(import.meta.resolve('@electric-sql/pglite'));
  const source =
    `const { workerData } = require('node:worker_threads');` +
    `import(${pglite}).then(({ PGlite }) => PGlite.create(workerData.dir, { postgresqlconf: workerData.conf }))` +
    `.then((db) => db.close());`;
  const worker = new Worker(source, { eval: true, workerData: { dir, conf: PGLITE_CONF } });
  await new Promise<void>((done, fail) => {
    worker.once('error', fail);
    worker.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`initialising ${dir} stopped with code ${code}`)),
    );
  });
}
