import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { seedFromTemplate, type PgliteTemplate } from './pglite-cluster-template.js';
import { PGLITE_CONF, initialiseApart } from './pglite-initdb.js';
import { tarDirectory } from './pglite-tar.js';
import type { SqlClient } from './sql-client.js';

/**
 * PGlite is a single Postgres backend with no lock on its directory: two instances on one
 * directory in one process would both write it and corrupt it. So this process keeps one instance
 * per directory and hands out references; the last close() closes it. (Another *process* opening
 * the directory is kept out by the platform lock; see data-dir/platform-lock.ts.)
 */
const open = new Map<string, { db: Promise<PGlite>; refs: number }>();

/** Directories being copied by `snapshotPgliteDir` while closed: an open waits for the copy. */
const copying = new Map<string, Promise<void>>();

/**
 * Opens (or creates) the PGlite database in `dir`. A new directory starts as a copy of `template`
 * (made once per machine; see pglite-cluster-template.ts) or of an empty cluster.
 */
export async function openPgliteClient(dir: string, template?: PgliteTemplate): Promise<SqlClient> {
  const key = resolve(dir);
  let entry = open.get(key);
  if (!entry) {
    const db = (copying.get(key) ?? Promise.resolve())
      .then(() => createWhole(key, template))
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

/**
 * A consistent copy of the PGlite database in `dir`, as a tar of its files (decision 064), from
 * the process that owns the directory. Open here: PGlite's own dumpDataDir, which runs between
 * queries (its query mutex), so the copy is the cluster at one instant, as after a crash, and
 * Postgres recovers it from its WAL on open. Not open here: the files as they are, while an open
 * from this process waits. Undefined when the directory holds no database.
 */
export async function snapshotPgliteDir(dir: string): Promise<Uint8Array | undefined> {
  const key = resolve(dir);
  const entry = open.get(key);
  if (entry) {
    const dump = await (await entry.db).dumpDataDir('none');
    return new Uint8Array(await dump.arrayBuffer());
  }
  if (!existsSync(join(key, 'PG_VERSION'))) return undefined;
  const copy = tarDirectory(key);
  const done = copy.then(
    () => undefined,
    () => undefined,
  );
  copying.set(key, done);
  try {
    return await copy;
  } finally {
    if (copying.get(key) === done) copying.delete(key);
  }
}

/**
 * A new database directory is built beside its final name and renamed into place: a process
 * killed while copying the template or running initdb leaves only the side directory, which the
 * next open discards, never a cluster with PG_VERSION but no base/ that no later start can open.
 * A directory that already holds anything is initialised in place if it has no cluster yet.
 */
async function createWhole(dir: string, template: PgliteTemplate | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await readdir(dir)).length > 0) {
    await initialiseApart(dir); // nothing when it holds a cluster already
    return;
  }
  const building = `${dir}.creating`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { mode: 0o700 });
  await seedFromTemplate(building, template, (d) => openPgliteClient(d));
  // No template to copy (an unwritable cache): an initdb of its own.
  await initialiseApart(building);
  // rename(2) replaces an empty directory: the one made above, or the caller's private one.
  await rename(building, dir);
}

async function rows<Row extends object>(
  db: Pick<PGlite, 'query'>,
  text: string,
  params: readonly unknown[] | undefined,
): Promise<Row[]> {
  const result = await db.query<Row>(text, params ? [...params] : undefined);
  return result.rows;
}
