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
 * Replaces several files of one directory, each as writeFileAtomic does, for one directory sync
 * instead of one per file: every temporary file is written and flushed (in parallel, so the
 * file system can commit them together), then each is renamed over its target, then the
 * directory is synced once. A crash leaves each file old or new, never torn; once this
 * resolves, all of them are durable. fdatasync suffices for a file written once from empty: it
 * flushes the data and the size needed to read it back.
 */
export async function writeFilesAtomic(
  dir: string,
  files: readonly (readonly [name: string, data: string | Uint8Array])[],
  options: WriteOptions = {},
): Promise<void> {
  if (files.length === 0) return;
  await makeDirectory(dir);
  const temps = await Promise.all(
    files.map(([name, data]) => writeTemp(join(dir, name), data, options, 'datasync', false)),
  );
  try {
    for (const [i, [name]] of files.entries()) {
      await rename(temps[i]!, join(dir, name)).catch((error: unknown) =>
        explainFsError(error, join(dir, name), 'write'),
      );
    }
  } catch (error) {
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
    throw error;
  }
  await syncDirectory(dir);
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
  flush: 'sync' | 'datasync' = 'sync',
  ensureDirectory = true,
): Promise<string> {
  const dir = dirname(path);
  if (ensureDirectory) await makeDirectory(dir);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', options.mode ?? 0o644).catch((error: unknown) =>
    explainFsError(error, temp, 'write'),
  );
  try {
    await handle.writeFile(data);
    await (flush === 'sync' ? handle.sync() : handle.datasync());
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

async function makeDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((error: unknown) =>
    explainFsError(error, dir, 'create directory'),
  );
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
