import { unlink } from 'node:fs/promises';
import { createJsonFileExclusive, readJsonFile, writeJsonFileAtomic } from '../data-dir/index.js';
import { readPlatformLock, type PlatformLockInfo } from '../data-dir/platform-lock.js';
import { Failure } from '../failure.js';

export type PlatformLockCode = 'platform-running';
export class PlatformLockFailure extends Failure<PlatformLockCode> {}

/**
 * Takes DIR/platform.lock for this process. PGlite does not lock its directory and SQLite
 * files must have one writer, so a second platform on the same directory is refused here; a
 * lock left by a process that died is taken over.
 */
export async function acquirePlatformLock(
  dataDir: string,
  path: string,
  startedAt: Date,
): Promise<PlatformLock> {
  const mine: PlatformLockInfo = { pid: process.pid, startedAt: startedAt.toISOString() };
  if (!(await createJsonFileExclusive(path, mine))) {
    const holder = await readPlatformLock(dataDir).catch(() => undefined);
    // Our own pid counts too: a second platform in this process would share the files just the same.
    if (holder) {
      throw new PlatformLockFailure(
        'platform-running',
        holder.pid === process.pid
          ? 'a platform in this process is already running on this data directory'
          : `another platform (pid ${holder.pid}) is running on this data directory`,
      );
    }
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
  async announce(urls: {
    apiUrl: string;
    mqttUrl: string;
    deviceApiUrl: string;
    /** The PEM file a client trusts to reach apiUrl; absent when its usual roots do. */
    apiCaFile: string | undefined;
    /** --public-url: where browsers reach the console, when not at the API's own address. */
    consoleUrl?: string | undefined;
  }): Promise<void> {
    const { apiCaFile, consoleUrl, ...rest } = urls;
    this.info = {
      ...this.info,
      ...rest,
      ...(apiCaFile ? { apiCaFile } : {}),
      ...(consoleUrl ? { consoleUrl } : {}),
    };
    await writeJsonFileAtomic(this.path, this.info);
  }

  async release(): Promise<void> {
    const current = (await readJsonFile(this.path).catch(() => undefined)) as
      PlatformLockInfo | undefined;
    if (current?.pid === process.pid) await unlink(this.path).catch(() => undefined);
  }
}
