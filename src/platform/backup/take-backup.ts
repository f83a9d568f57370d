import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { readPlatformLock } from '../../stores/data-dir/platform-lock.js';
import { acquirePlatformLock } from '../platform-lock.js';
import { platformLayout } from '../platform-layout.js';
import { removeQuietly, writeArchive } from './archive.js';
import { backupFailure } from './backup-errors.js';
import { ALL_SETS, type SetName } from './inventory.js';
import { setFile } from './set-files.js';
import { copyStoppedDatabase, stageDataDir, type CopyDatabase } from './stage.js';

export interface BackupRequest {
  readonly dataDir: string;
  readonly out: string;
  /** Which sets to write (default: all that have data). */
  readonly sets?: readonly SetName[];
  readonly version: string;
  /** How to copy an embedded database through the running platform (the CLI calls its API). */
  readonly throughPlatform: CopyDatabase;
  readonly progress?: (line: string) => void;
  readonly now?: () => Date;
}

export interface BackupSummary {
  readonly backupId: string;
  readonly createdAt: string;
  readonly live: boolean;
  readonly sets: {
    readonly set: SetName;
    readonly file: string;
    readonly files: number;
    readonly bytes: number;
  }[];
  readonly unknown: readonly string[];
  readonly excluded: readonly string[];
  readonly seconds: number;
}

/**
 * Backs up every embedded store of a data directory into one archive per set (decision 064).
 * While the platform runs, its PGlite databases are copied through it and its SQLite files online;
 * while it is stopped, this process holds the platform lock so that it cannot start mid-copy.
 */
export async function takeBackup(request: BackupRequest): Promise<BackupSummary> {
  const started = Date.now();
  const now = request.now ?? (() => new Date());
  const root = resolve(request.dataDir);
  const progress = request.progress ?? (() => undefined);
  if (
    !(await stat(root).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw backupFailure('missing-set', `${root} is not a data directory`);
  }
  const lock = await readPlatformLock(root);
  if (lock && lock.apiUrl === undefined) {
    throw backupFailure(
      'platform-starting',
      `the platform (pid ${lock.pid}) is starting on ${root}; try again once it serves`,
    );
  }
  const live = lock !== undefined;
  const out = resolve(request.out);
  if (out === root || out.startsWith(root + sep)) {
    // The stage and the archive would be copied into themselves.
    throw backupFailure(
      'out-inside-data',
      `--out ${out} is inside ${root}; write the backup elsewhere`,
    );
  }
  await mkdir(dirname(out), { recursive: true });
  const stage = await mkdtemp(join(dirname(out), `.${basename(out)}.stage-`));
  const held = live
    ? undefined
    : await acquirePlatformLock(root, platformLayout(root).lock, now()).catch(
        async (error: unknown) => {
          await removeQuietly(stage);
          throw error;
        },
      );
  try {
    const wanted = new Set(request.sets ?? ALL_SETS);
    const createdAt = now().toISOString();
    progress(
      `backing up ${root} (${live ? `live, through the platform pid ${lock.pid}` : 'platform stopped'})`,
    );
    const staged = await stageDataDir({
      root,
      stage,
      sets: wanted,
      copyDatabase: live ? request.throughPlatform : copyStoppedDatabase,
      progress,
    });
    // A region whose vault is on PostgreSQL, or was never used, has no set.
    const written: SetName[] = [];
    for (const set of ALL_SETS) {
      if (!wanted.has(set)) continue;
      if (
        set.startsWith('vault-') &&
        (await readdir(join(stage, set)).catch(() => [])).length === 0
      )
        continue;
      written.push(set);
    }
    const backupId = randomUUID();
    const sets = written.map((set) => ({ set, file: basename(setFile(out, set)) }));
    const summary: BackupSummary['sets'] = [];
    for (const set of written) {
      const file = setFile(out, set);
      progress(`writing ${file}`);
      const manifest = await writeArchive(
        join(stage, set),
        { fleetplaneVersion: request.version, createdAt, backupId, set, sets, live },
        file,
      );
      summary.push({
        set,
        file,
        files: manifest.files.length,
        bytes: (await stat(file)).size,
      });
    }
    return {
      backupId,
      createdAt,
      live,
      sets: summary,
      unknown: staged.unknown,
      excluded: staged.excluded,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await removeQuietly(stage);
    await held?.release();
  }
}
