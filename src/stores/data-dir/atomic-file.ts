import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { explainFsError } from './errors.js';

export interface WriteOptions {
  /** File mode; 0o600 for private keys. Applied at creation, so the secret is never readable. */
  readonly mode?: number;
}

/**
 * Replaces `path` with `data` so that a reader sees the old file or the new one, never a torn
 * one, even if the process dies midway: the data goes to a temporary file in the same directory
 * (rename is only atomic within a file system), is flushed to disk, then renamed over the target.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  const temp = await writeTemp(path, data, options);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    explainFsError(error, path, 'write');
  }
  await syncDirectory(dirname(path));
}

/**
 * Creates `path` with `data` only if it does not exist yet, atomically: two processes racing to
 * create the same record cannot both succeed, and nobody sees it half written. Returns false when
 * the file already existed (the caller decides whether that is a duplicate or a repeat).
 */
export async function createFileExclusive(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<boolean> {
  const temp = await writeTemp(path, data, options);
  try {
    // link() fails with EEXIST instead of replacing, which rename() cannot do.
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    explainFsError(error, path, 'create');
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncDirectory(dirname(path));
  return true;
}

async function writeTemp(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions,
): Promise<string> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true }).catch((error: unknown) =>
    explainFsError(error, dir, 'create directory'),
  );
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', options.mode ?? 0o644).catch((error: unknown) =>
    explainFsError(error, temp, 'write'),
  );
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

/** Makes the rename itself durable. Some platforms cannot open directories; that only costs durability. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
