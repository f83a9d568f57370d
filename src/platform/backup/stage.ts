import { copyFile, cp, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SqliteDatabase } from '../../stores/data-dir/sqlite-driver.js';
import { isRegion } from '../../stores/vault/vault-types.js';
import {
  COPY_ORDER,
  LEDGER_DIR,
  TOP_LEVEL,
  embeddedDatabases,
  isScratch,
  sqliteFiles,
  vaultSet,
  type EmbeddedDatabase,
  type SetName,
} from './inventory.js';

/**
 * How a PGlite directory gets into the stage: through the running platform that owns it, or,
 * stopped, as its files. Returns false when there is no database there.
 */
export type CopyDatabase = (name: EmbeddedDatabase, from: string, to: string) => Promise<boolean>;

export interface StageOptions {
  readonly root: string;
  /** Each set's files go to <stage>/<set>/files/, mirroring the data directory. */
  readonly stage: string;
  readonly sets: ReadonlySet<SetName>;
  readonly copyDatabase: CopyDatabase;
  readonly progress: (line: string) => void;
}

export interface StageResult {
  /** Top-level entries no rule names: copied into core, and reported so someone adds a rule. */
  readonly unknown: string[];
  readonly excluded: string[];
}

/** Copies the data directory into the stage, each store by the rule inventory.ts gives it. */
export async function stageDataDir(options: StageOptions): Promise<StageResult> {
  const { root, sets } = options;
  const sqlite = sqliteFiles(root);
  const databases = new Map(embeddedDatabases().map((d) => [d.path, d.name]));
  const into = (set: SetName, rel: string) => join(options.stage, set, 'files', rel);
  const result: StageResult = { unknown: [], excluded: [] };

  const copyTree = async (rel: string, set: SetName): Promise<void> => {
    const database = databases.get(rel);
    if (database !== undefined) {
      options.progress(`  ${rel}: embedded database ${database}`);
      await mkdir(into(set, rel), { recursive: true });
      // None there (the store is on PostgreSQL, or was never opened): no empty directory either.
      if (!(await options.copyDatabase(database, join(root, rel), into(set, rel)))) {
        await rm(into(set, rel), { recursive: true, force: true });
      }
      return;
    }
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (isScratch(entry.name) || isSqliteSidecar(child, sqlite)) continue;
      if (entry.isDirectory()) await copyTree(child, set);
      else if (sqlite.has(child)) {
        options.progress(`  ${child}: SQLite, online copy`);
        await sqliteSnapshot(join(root, child), into(set, child));
      } else if (entry.isFile()) {
        await mkdir(dirname(into(set, child)), { recursive: true });
        await copyFile(join(root, child), into(set, child));
      }
    }
  };

  for (const name of ordered(await readdir(root))) {
    const rule = TOP_LEVEL[name];
    if (isScratch(name)) continue;
    if (rule?.set === 'none') {
      result.excluded.push(name);
      continue;
    }
    if (rule === undefined) result.unknown.push(name);
    if (rule?.set === 'vault') {
      for (const region of await readdir(join(root, name))) {
        if (isScratch(region)) continue;
        if (!isRegion(region)) {
          result.unknown.push(`${name}/${region}`);
          continue;
        }
        if (sets.has(vaultSet(region))) await copyTree(`${name}/${region}`, vaultSet(region));
      }
      continue;
    }
    const set = rule?.set === 'keys' ? 'keys' : 'core';
    if (!sets.has(set)) continue;
    options.progress(`${name}${rule ? '' : ' (no rule: copied into core)'}`);
    if (existsSync(join(root, name)) && !(await isDirectory(join(root, name)))) {
      await mkdir(dirname(into(set, name)), { recursive: true });
      await copyFile(join(root, name), into(set, name));
    } else await copyTree(name, set);
  }
  // The erasure ledger travels with the keys too: a restore of older data must not undo it.
  if (sets.has('keys') && existsSync(join(root, LEDGER_DIR))) {
    await cp(join(root, LEDGER_DIR), into('keys', LEDGER_DIR), { recursive: true });
  }
  return result;
}

function ordered(names: string[]): string[] {
  const rank = (n: string) => (COPY_ORDER.includes(n) ? COPY_ORDER.indexOf(n) : COPY_ORDER.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isSqliteSidecar(rel: string, sqlite: ReadonlySet<string>): boolean {
  const base = rel.replace(/-(wal|shm|journal)$/, '');
  return base !== rel && sqlite.has(base);
}

async function isDirectory(path: string): Promise<boolean> {
  return await readdir(path).then(
    () => true,
    () => false,
  );
}

/**
 * VACUUM INTO rather than the backup API: one read transaction is the snapshot, so a writer in
 * another process (the running platform) never restarts it, and it works from any process on a
 * WAL database. The copy is compacted, and has no -wal to lose.
 */
export async function sqliteSnapshot(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const db = new SqliteDatabase(from, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(to);
  } finally {
    db.close();
  }
}

/** A stopped platform's PGlite directory: its files, which nobody else writes (we hold the lock). */
export const copyStoppedDatabase: CopyDatabase = async (_name, from, to) => {
  if (!existsSync(join(from, 'PG_VERSION'))) return false;
  await cp(from, to, { recursive: true, filter: (src) => !src.endsWith('postmaster.pid') });
  return true;
};
