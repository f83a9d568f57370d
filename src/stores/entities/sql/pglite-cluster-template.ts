import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { initialiseApart } from './pglite-initdb.js';
import type { SqlClient } from './sql-client.js';

/** A prepared database new directories start from: an empty cluster, plus what `prepare` adds. */
export interface PgliteTemplate {
  /** Names the template's contents: change it whenever `prepare` would make something else. */
  readonly name: string;
  readonly prepare: (client: SqlClient) => Promise<void>;
}

type OpenClient = (dir: string) => Promise<SqlClient>;

/**
 * A fresh PGlite directory costs an initdb inside WebAssembly: 5–8 s of one core on a 2-core
 * machine, three times over on a first start (entities and two vault regions) and once per
 * embedded database in every test that starts a platform. An empty cluster is the same bytes each
 * time for a given PGlite version, so it is made once per machine, kept in a cache directory, and
 * copied into each new database directory (a Postgres data directory is relocatable). A store can
 * name a template of its own (the entity store's: the empty cluster with its schema migrated,
 * keyed by a digest of its migrations); it holds no data, and each store still runs its
 * migrations on open, which then find nothing to do.
 *
 * The cache is `$FLEETPLANE_PGLITE_CACHE`, else `$XDG_CACHE_HOME/fleetplane`, else
 * `~/.cache/fleetplane`, falling back to the system's temporary directory. If the cache cannot be
 * written, each database is created directly, as before.
 */
export async function seedFromTemplate(
  dir: string,
  template: PgliteTemplate | undefined,
  open: OpenClient,
): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if ((await readdir(dir)).length > 0) return; // not ours to fill: let PGlite say what it finds
  const source = await templateDir(template, open);
  if (source === undefined) return;
  await cp(source, dir, { recursive: true });
}

const pending = new Map<string, Promise<string | undefined>>();

function templateDir(
  template: PgliteTemplate | undefined,
  open: OpenClient,
): Promise<string | undefined> {
  const name = template?.name ?? 'empty-cluster';
  let made = pending.get(name);
  if (made === undefined) {
    made = makeTemplate(name, async (building) => {
      if (template === undefined) {
        await initialiseApart(building);
        return;
      }
      await seedFromTemplate(building, undefined, open);
      const client = await open(building);
      try {
        await template.prepare(client);
      } finally {
        await client.close();
      }
    }).catch(() => undefined);
    pending.set(name, made);
  }
  return made;
}

async function makeTemplate(
  name: string,
  build: (dir: string) => Promise<void>,
): Promise<string | undefined> {
  for (const base of cacheBases()) {
    const template = join(base, `pglite-${pgliteVersion()}-${name}`);
    if (existsSync(join(template, 'PG_VERSION'))) return template;
    try {
      await mkdir(base, { recursive: true });
      // Built beside its final name and renamed into place, so concurrent processes (parallel
      // test files) never copy a half-made cluster: the first rename wins, the others discard.
      const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await mkdir(building);
      await build(building);
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

/** Where templates are kept, in order of preference. */
export function cacheBases(): string[] {
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
