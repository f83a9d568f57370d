import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client.js';

/**
 * Postgres' defaults size its buffers for a server of its own (128 MB of shared buffers, kept
 * resident inside the WebAssembly memory). An embedded store of a few thousand rows per table
 * needs a fraction: these keep one open instance near 150 MB instead of 300 MB (issue 16). The
 * files sit in the operating system's page cache either way.
 */
const PGLITE_CONF = [
  'shared_buffers = 16MB',
  'temp_buffers = 2MB',
  'work_mem = 2MB',
  'maintenance_work_mem = 16MB',
  'wal_buffers = 512kB',
];

/**
 * PGlite is a single Postgres backend with no lock on its directory: two instances on one
 * directory in one process would both write it and corrupt it. So this process keeps one instance
 * per directory and hands out references; the last close() closes it. (Another *process* opening
 * the directory is kept out by the platform lock; see data-dir/platform-lock.ts.)
 */
const open = new Map<string, { db: Promise<PGlite>; refs: number }>();

export async function openPgliteClient(dir: string): Promise<SqlClient> {
  const key = resolve(dir);
  let entry = open.get(key);
  if (!entry) {
    const db = mkdir(key, { recursive: true })
      .then(() => initialiseApart(key))
      .then(() => PGlite.create(key, { postgresqlconf: PGLITE_CONF }));
    entry = { db, refs: 0 };
    open.set(key, entry);
    db.catch(() => open.delete(key));
  }
  entry.refs += 1;
  let db: PGlite;
  try {
    db = await entry.db;
  } catch (error) {
    entry.refs -= 1;
    throw error;
  }
  const held = entry;
  let closed = false;
  return {
    engine: 'pglite',
    query: (text, params) => rows(db, text, params),
    // PGlite queues other callers' queries behind an open transaction, so work inside it sees
    // nobody else's statements; that is the isolation a single connection gives.
    transaction: (work) =>
      db.transaction((tx) => work({ query: (text, params) => rows(tx, text, params) })),
    async close() {
      if (closed) return;
      closed = true;
      held.refs -= 1;
      if (held.refs === 0) {
        open.delete(key);
        await db.close();
      }
    },
  };
}

async function rows<Row extends object>(
  db: Pick<PGlite, 'query'>,
  text: string,
  params: readonly unknown[] | undefined,
): Promise<Row[]> {
  const result = await db.query<Row>(text, params ? [...params] : undefined);
  return result.rows;
}

/**
 * Creates a new database directory (initdb) in a thread of its own that then ends. initdb leaves
 * some 500 MB of WebAssembly garbage that the collector of the thread that ran it gives back only
 * late; a thread that ends gives back everything at once. An existing directory is left alone.
 */
async function initialiseApart(dir: string): Promise<void> {
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
