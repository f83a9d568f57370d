import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  readTokenErasureLedger,
  reapplyTokenErasures,
} from '../../domain/privacy/masking/erasure-replay.js';
import { readJsonFile } from '../../stores/data-dir/index.js';
import { readPlatformLock } from '../../stores/data-dir/platform-lock.js';
import { acquirePlatformLock } from '../platform-lock.js';
import { platformLayout } from '../platform-layout.js';
import { readArchive, removeQuietly, walk, type BackupManifest } from './archive.js';
import { backupFailure } from './backup-errors.js';
import { TOP_LEVEL, type SetName } from './inventory.js';

export interface RestoreRequest {
  /** Any set of the backup; the others are looked for beside it by the names its manifest gives. */
  readonly from: string;
  readonly dataDir: string;
  /** Replace a directory that holds data: it is moved aside, its keys and erasures kept. */
  readonly force?: boolean;
  /** Restore without a set the backup has but that is not there (e.g. another region's). */
  readonly partial?: boolean;
  /**
   * A keys set to use instead of the backup's own: one taken later (keys are backed up apart and
   * more often), whose tombstones and erasures then hold even in a directory that has none.
   */
  readonly keys?: string;
  readonly progress?: (line: string) => void;
  readonly now?: () => Date;
}

export interface RestoreSummary {
  readonly backupId: string;
  readonly createdAt: string;
  readonly dataDir: string;
  readonly sets: { readonly set: SetName; readonly file: string; readonly files: number }[];
  readonly missingSets: readonly SetName[];
  /** Where the replaced directory's data went (--force), for the operator to remove. */
  readonly movedAside?: string;
  /** Key files kept from the directory (newer than the backup's: a tombstone stays one). */
  readonly keysKept: number;
  readonly keysRestored: number;
  /** Vault accounts whose key is destroyed: their restored rows cannot be opened. */
  readonly erasedAccounts: number;
  readonly tokenErasures: number;
  readonly tokenEntriesPurged: number;
}

/**
 * Restores a backup into a stopped platform's directory (decision 064). Every set is unpacked and
 * checked against its manifest before the directory is touched. Key files present in the
 * directory are never replaced by the backup's: a key only ever goes from wrapped to destroyed, so
 * the directory's copy is the newer one, and an account erased after the backup stays unreadable.
 * The masking tokens' erasure list is merged and re-applied to the restored token store.
 */
export async function restoreBackup(request: RestoreRequest): Promise<RestoreSummary> {
  const root = resolve(request.dataDir);
  const progress = request.progress ?? (() => undefined);
  const lock = await readPlatformLock(root);
  if (lock) {
    throw backupFailure(
      'platform-running',
      `the platform (pid ${lock.pid}) is running on ${root}; stop it before restoring into it`,
    );
  }
  // Checked again once the sets are verified; refusing now spares reading them for nothing.
  if (!request.force) await assertEmpty(root);
  await mkdir(dirname(root), { recursive: true });
  const scratch = await mkdtemp(join(dirname(root), `.${basename(root)}.restoring-`));
  try {
    const sets = await readSets(
      request.from,
      scratch,
      request.partial ?? false,
      request.keys,
      progress,
    );
    const first = sets.loaded[0]!.manifest;
    const held = await claimTarget(
      root,
      request.force ?? false,
      (request.now ?? (() => new Date()))(),
    );
    try {
      const liveLedger = await readTokenErasureLedger(root);
      const movedAside = held.nonEmpty
        ? await moveAside(root, request.now ?? (() => new Date()))
        : undefined;
      let keysKept = 0;
      let keysRestored = 0;
      let keysLedger = new Map<string, string>();
      for (const { manifest, dir } of sets.loaded) {
        progress(`restoring ${manifest.set} (${manifest.files.length} files)`);
        if (manifest.set === 'keys') {
          // The ledger copy is merged below, never laid over the directory's.
          keysLedger = await readTokenErasureLedger(join(dir, 'files'));
          await removeQuietly(join(dir, 'files', 'privacy'));
          const moved = await mergeInto(join(dir, 'files'), root, 'keep');
          keysKept += moved.kept;
          keysRestored += moved.moved;
        } else await mergeInto(join(dir, 'files'), root, 'replace');
      }
      const tokens = await reapplyTokenErasures(root, [liveLedger, keysLedger]);
      return {
        backupId: first.backupId,
        createdAt: first.createdAt,
        dataDir: root,
        sets: sets.loaded.map(({ manifest, file }) => ({
          set: manifest.set,
          file,
          files: manifest.files.length,
        })),
        missingSets: sets.missing,
        ...(movedAside !== undefined ? { movedAside } : {}),
        keysKept,
        keysRestored,
        erasedAccounts: await countErasedAccounts(root),
        tokenErasures: tokens.erasures,
        tokenEntriesPurged: tokens.purged,
      };
    } finally {
      await held.lock.release();
    }
  } finally {
    await removeQuietly(scratch);
  }
}

interface LoadedSet {
  readonly manifest: BackupManifest;
  readonly file: string;
  readonly dir: string;
}

async function readSets(
  from: string,
  scratch: string,
  partial: boolean,
  keys: string | undefined,
  progress: (line: string) => void,
): Promise<{ loaded: LoadedSet[]; missing: SetName[] }> {
  const given = resolve(from);
  progress(`checking ${given}`);
  const manifest = await readArchive(given, join(scratch, 'given'));
  const loaded: LoadedSet[] = [];
  const missing: SetName[] = [];
  if (keys !== undefined) {
    const path = resolve(keys);
    progress(`checking ${path}`);
    const own = await readArchive(path, join(scratch, 'keys-given'));
    if (own.set !== 'keys')
      throw backupFailure('mismatched-sets', `--keys ${path} is a ${own.set} set, not a keys set`);
    loaded.push({ manifest: own, file: path, dir: join(scratch, 'keys-given') });
  }
  for (const { set, file } of manifest.sets) {
    if (set === 'keys' && keys !== undefined) continue;
    if (set === manifest.set) {
      loaded.push({ manifest, file: given, dir: join(scratch, 'given') });
      continue;
    }
    const path = join(dirname(given), file);
    if (!existsSync(path)) {
      if (!partial) {
        throw backupFailure(
          'missing-set',
          `this backup has a ${set} set, ${path}, which is not there; put it beside ${basename(given)}, or give --partial to restore without it`,
        );
      }
      missing.push(set);
      continue;
    }
    progress(`checking ${path}`);
    const other = await readArchive(path, join(scratch, set));
    if (other.backupId !== manifest.backupId || other.set !== set) {
      throw backupFailure(
        'mismatched-sets',
        `${path} belongs to another backup (${other.backupId}), not ${manifest.backupId}`,
      );
    }
    loaded.push({ manifest: other, file: path, dir: join(scratch, set) });
  }
  // Keys last: the data sets first put their files, then keys fill in only what is missing.
  loaded.sort((a, b) => Number(a.manifest.set === 'keys') - Number(b.manifest.set === 'keys'));
  return { loaded, missing };
}

async function claimTarget(root: string, force: boolean, now: Date) {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const present = await contents(root);
  if (!force) await assertEmpty(root);
  const lock = await acquirePlatformLock(root, platformLayout(root).lock, now);
  return { lock, nonEmpty: present.length > 0 };
}

async function contents(root: string): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  return names.filter((name) => name !== 'platform.lock');
}

async function assertEmpty(root: string): Promise<void> {
  const present = await contents(root);
  if (present.length > 0) {
    throw backupFailure(
      'target-not-empty',
      `${root} holds data (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); restore into a new directory, or give --force to replace it (its keys and erasure lists are kept)`,
    );
  }
}

/** Everything but the key material and the lock moves to DIR.before-restore-<time>. */
async function moveAside(root: string, now: () => Date): Promise<string> {
  const aside = `${root}.before-restore-${now().toISOString().replace(/[:.]/g, '-')}`;
  await mkdir(aside, { mode: 0o700 });
  for (const name of await readdir(root)) {
    if (name === 'platform.lock' || TOP_LEVEL[name]?.set === 'keys') continue;
    await rename(join(root, name), join(aside, name));
  }
  return aside;
}

/** Moves `from`'s tree into `to`; where a file exists, `keep` leaves it and `replace` replaces it. */
async function mergeInto(
  from: string,
  to: string,
  existing: 'keep' | 'replace',
): Promise<{ moved: number; kept: number }> {
  const count = { moved: 0, kept: 0 };
  if (!existsSync(from)) return count;
  await mkdir(to, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const there = await stat(target).catch(() => undefined);
    if (entry.isDirectory() && there?.isDirectory()) {
      const inner = await mergeInto(source, target, existing);
      count.moved += inner.moved;
      count.kept += inner.kept;
    } else if (there !== undefined && existing === 'keep') {
      count.kept += 1;
    } else {
      if (there !== undefined) await removeQuietly(target);
      await rename(source, target);
      count.moved += entry.isDirectory() ? (await walk(target)).length : 1;
    }
  }
  return count;
}

async function countErasedAccounts(root: string): Promise<number> {
  let erased = 0;
  for (const dir of ['keys/data', 'keys-kms']) {
    const names = await readdir(join(root, dir)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith('vault.account.') && n.endsWith('.json'))) {
      const record = (await readJsonFile(join(root, dir, name)).catch(() => undefined)) as
        { destroyedAt?: unknown } | undefined;
      if (typeof record?.destroyedAt === 'string') erased += 1;
    }
  }
  return erased;
}
