import { unlink } from 'node:fs/promises';
import { createJsonFileExclusive, readJsonFile, writeJsonFileAtomic } from '../data-dir/index.js';
import { Failure } from '../failure.js';

export interface PlatformLockInfo {
  readonly pid: number;
  readonly api_url?: string;
  readonly mqtt_url?: string;
  readonly started_at: string;
}

export type PlatformLockCode = 'platform-running';
export class PlatformLockFailure extends Failure<PlatformLockCode> {}

/** The live platform holding DIR, or undefined when none (no lock file, or its process is gone). */
export async function readPlatformLock(path: string): Promise<PlatformLockInfo | undefined> {
  const info = (await readJsonFile(path).catch(() => undefined)) as PlatformLockInfo | undefined;
  if (!info || typeof info.pid !== 'number') return undefined;
  return isAlive(info.pid) ? info : undefined;
}

/**
 * Takes DIR/platform.lock for this process. PGlite does not lock its directory and SQLite
 * files must have one writer, so a second platform on the same directory is refused here.
 */
export async function acquirePlatformLock(path: string, startedAt: Date): Promise<PlatformLock> {
  const mine: PlatformLockInfo = { pid: process.pid, started_at: startedAt.toISOString() };
  if (!(await createJsonFileExclusive(path, mine))) {
    const holder = await readPlatformLock(path);
    if (holder && holder.pid !== process.pid) {
      throw new PlatformLockFailure(
        'platform-running',
        `another platform (pid ${holder.pid}) is running on this data directory`,
      );
    }
    // A stale lock from a process that died: take it over.
    await writeJsonFileAtomic(path, mine);
  }
  return new PlatformLock(path, mine);
}

export class PlatformLock {
  constructor(
    private readonly path: string,
    private info: PlatformLockInfo,
  ) {}

  /** Records where the running platform can be reached, for CLI commands that go through it. */
  async announce(urls: { api_url: string; mqtt_url: string }): Promise<void> {
    this.info = { ...this.info, ...urls };
    await writeJsonFileAtomic(this.path, this.info);
  }

  async release(): Promise<void> {
    const current = (await readJsonFile(this.path).catch(() => undefined)) as
      PlatformLockInfo | undefined;
    if (current?.pid === process.pid) await unlink(this.path).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
