import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataDirFailure, explainFsError } from './errors.js';
import { corruptFile } from './json-file.js';

/**
 * `fleetplane start` holds DIR/platform.lock while it runs: {"pid": N, "apiUrl": "https://…", …};
 * the URLs appear once its servers listen.
 * PGlite and SQLite files have one owner (DESIGN: one owner per embedded database), so a command
 * that would open them checks this first and goes through the running platform instead.
 */
export interface PlatformLockInfo {
  readonly pid: number;
  readonly startedAt?: string;
  readonly apiUrl?: string;
  readonly mqttUrl?: string;
  readonly deviceApiUrl?: string;
  /**
   * The PEM file to trust for apiUrl (the fleet CA's trust bundle) when the platform issued the
   * API's certificate; absent for plain HTTP and for an operator's certificate.
   */
  readonly apiCaFile?: string;
  /** Where browsers reach the console (--public-url); absent: the API's URL, by host name. */
  readonly consoleUrl?: string;
}

export function platformLockPath(dataDir: string): string {
  return join(resolve(dataDir), 'platform.lock');
}

/**
 * The lock of a running platform, or undefined when there is none or it was left behind by a
 * process that is gone (a crash, a kill -9).
 */
export async function readPlatformLock(dataDir: string): Promise<PlatformLockInfo | undefined> {
  const path = platformLockPath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    explainFsError(error, path, 'read');
  }
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    throw corruptFile(path, error instanceof Error ? error.message : String(error));
  }
  if (!isPlatformLock(lock)) throw corruptFile(path, 'expected {"pid": N, "apiUrl": "…"}');
  return isAlive(lock.pid) ? lock : undefined;
}

/** Refuses to go on while a live platform owns the directory; `doing` names what was refused. */
export async function assertPlatformNotRunning(dataDir: string, doing: string): Promise<void> {
  const lock = await readPlatformLock(dataDir);
  if (lock) {
    throw new DataDirFailure(
      'platform-running',
      `the platform is running (pid ${lock.pid}${lock.apiUrl ? `, ${lock.apiUrl}` : ''}) on ${resolve(dataDir)}; ${doing} through it`,
    );
  }
}

function isPlatformLock(value: unknown): value is PlatformLockInfo {
  if (typeof value !== 'object' || value === null) return false;
  const { pid, apiUrl, apiCaFile } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(pid) &&
    (pid as number) > 0 &&
    (apiUrl === undefined || typeof apiUrl === 'string') &&
    (apiCaFile === undefined || typeof apiCaFile === 'string')
  );
}

/** Signal 0 tests for a process without touching it; EPERM means it exists but is not ours. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
