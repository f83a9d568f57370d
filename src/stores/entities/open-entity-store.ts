import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { entityFailure } from './errors.js';
import { SqlEntityStore } from './sql-entity-store.js';
import { openPgliteClient } from './sql/pglite-client.js';
import { openPostgresClient } from './sql/postgres-client.js';
import { MIGRATIONS, migrate } from './migrations/index.js';
import type { PgliteTemplate } from './sql/pglite-cluster-template.js';

/**
 * New embedded entity databases start from one with every migration applied (1–2 s of CPU each
 * saved; keyed by the migrations' contents, so a new step makes a new template).
 */
const MIGRATED_TEMPLATE: PgliteTemplate = {
  name: `entities-${createHash('sha256').update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 16)}`,
  prepare: async (client) => {
    await migrate(client, MIGRATIONS);
  },
};

export interface EntityStoreOptions {
  /** The data directory; the embedded database lives in DIR/entities/pglite. */
  readonly dataDir: string;
  /** A PostgreSQL server (postgres://…); when given, the data directory holds no entity data. */
  readonly url?: string;
  /** Schema on the server (tests isolate runs with it); default: the server's search_path. */
  readonly schema?: string;
}

/** Where the embedded entity database lives under a data directory. */
export function pgliteDir(dataDir: string): string {
  return join(resolve(dataDir), 'entities', 'pglite');
}

/**
 * Opens the entity store and brings its schema up to date. PGlite by default; this process must
 * own the data directory (the caller checks the platform lock: see data-dir/platform-lock.ts).
 */
export async function openEntityStore(options: EntityStoreOptions): Promise<SqlEntityStore> {
  const client =
    options.url === undefined
      ? await openPgliteClient(pgliteDir(options.dataDir), MIGRATED_TEMPLATE)
      : await openPostgresClient({ url: checkUrl(options.url), schema: options.schema });
  const store = new SqlEntityStore(client);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text may hold a password: do not echo it.
    throw entityFailure(
      'invalid-entity-url',
      'the entity store URL is not a URL; expected postgres://…',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw entityFailure(
      'invalid-entity-url',
      `the entity store URL must start with postgres:// (got ${parsed.protocol}//)`,
    );
  }
  return url;
}
