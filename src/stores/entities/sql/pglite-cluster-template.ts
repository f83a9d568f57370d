import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite directory costs an initdb inside WebAssembly: 5–8 s of one core on a 2-core
 * machine, three times over on a first start (entities and two vault regions) and once per
 * embedded database in every test that starts a platform. An empty cluster is the same bytes each
 * time for a given PGlite version, so it is made once per machine, kept in a cache directory, and
 * copied into each new database directory (a Postgres data directory is relocatable). It holds no
 * data: schemas are still migrated by each store.
 *
 * The cache is `$FLEETPLANE_PGLITE_CACHE`, else `$XDG_CACHE_HOME/fleetplane`, else
 * `~/.cache/fleetplane`, falling back to the system's temporary directory. If the cache cannot be
 * written, each database is created directly, as before.
 */
export async function seedFromEmptyCluster(dir: string): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if ((await readdir(dir)).length > 0) return; // not ours to fill: let PGlite say what it finds
  const template = await emptyClusterTemplate();
  if (template === undefined) return;
  await cp(template, dir, { recursive: true });
}

let pending: Promise<string | undefined> | undefined;

function emptyClusterTemplate(): Promise<string | undefined> {
  pending ??= makeTemplate().catch(() => undefined);
  return pending;
}

async function makeTemplate(): Promise<string | undefined> {
  for (const base of cacheBases()) {
    const template = join(base, `pglite-${pgliteVersion()}-empty-cluster`);
    if (existsSync(join(template, 'PG_VERSION'))) return template;
    try {
      await mkdir(base, { recursive: true });
      // Built beside its final name and renamed into place, so concurrent processes (parallel
      // test files) never copy a half-made cluster: the first rename wins, the others discard.
      const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
      const db = await PGlite.create(building);
      await db.close();
      try {
        await rename(building, template);
      } catch {
        await rm(building, { recursive: true, force: true });
      }
      if (existsSync(join(template, 'PG_VERSION'))) return template;
    } catch {
      // an unwritable cache: try the next place
    }
  }
  return undefined;
}

function cacheBases(): string[] {
  const env = process.env;
  if (env['FLEETPLANE_PGLITE_CACHE']) return [env['FLEETPLANE_PGLITE_CACHE']];
  const xdg = env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  return [join(xdg, 'fleetplane'), join(tmpdir(), 'fleetplane-cache')];
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  // The package's own package.json sits above its dist/ entry point.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = require(manifest) as { name?: string; version?: string };
      if (parsed.name === '@electric-sql/pglite' && parsed.version) return parsed.version;
    }
  }
  return 'unknown';
}
