// One migrated PGlite entity store per test file: initdb in WASM takes seconds, so a file's tests
// share a store and keep apart by using their own device ids and sessions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openEntityStore } from '../src/stores/entities/open-entity-store.js';
import type { SqlEntityStore } from '../src/stores/entities/sql-entity-store.js';

/**
 * Call at the top level of a test file: returns an opener of the file's store, which is made on
 * first use and closed (its directory removed) after the file's last test.
 */
export function filePgliteStore(): () => Promise<SqlEntityStore> {
  let opened: Promise<{ dir: string; store: SqlEntityStore }> | undefined;
  after(async () => {
    if (!opened) return;
    const { dir, store } = await opened;
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return async () => {
    opened ??= (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'fleetplane-pglite-'));
      return { dir, store: await openEntityStore({ dataDir: dir }) };
    })();
    return (await opened).store;
  };
}
