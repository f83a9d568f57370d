import { link, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProvisionResult } from '../../../edge/identity/index.js';
import { OUTPUT_FILES, provisionOutputFiles, writeProvisionOutput } from '../provision-output.js';

/**
 * Writes each device directory of a batch with as few file creations and syncs as its safety
 * allows (decision 043). A directory whose key this run made is new: no reader and no earlier run
 * knows its files, and the device is neither listed in the manifest nor registered until they
 * are durable, so each file is created in place (exclusive), written and flushed, with no
 * temporary file and rename, then the directory is synced once. A crash before that leaves an
 * unlisted, unregistered device whose re-run compares and replaces every file atomically.
 * chain.pem and trust.pem are the same for every device of the batch: a new directory gets hard
 * links to the first durable copy instead of two more files to create and flush.
 * A directory an earlier run began goes through writeProvisionOutput (compare, then replace).
 */
export class DeviceDirectoryWriter {
  /** For chain.pem and trust.pem, by content: a durable copy to link to. */
  private readonly shared = new Map<string, Promise<string | undefined>>();

  async write(dir: string, result: ProvisionResult, options: { fresh: boolean }): Promise<void> {
    if (!options.fresh || !(await this.writeNew(dir, result))) {
      await writeProvisionOutput(dir, result);
    }
  }

  /** False when a file was in the way (put there by hand): then the careful path decides. */
  private async writeNew(dir: string, result: ProvisionResult): Promise<boolean> {
    const files = provisionOutputFiles(result);
    const written = await Promise.all(
      files.map(async ([name, content]) => {
        const path = join(dir, name);
        if (name !== OUTPUT_FILES.chain && name !== OUTPUT_FILES.trust) {
          return createDurably(path, content);
        }
        const key = `${name}\n${content}`;
        const source = this.shared.get(key);
        if (source && (await source) !== undefined) return linkIfAbsent((await source)!, path);
        const made = createDurably(path, content).then((ok) => (ok ? path : undefined));
        if (!source) this.shared.set(key, made);
        return (await made) !== undefined;
      }),
    );
    if (written.includes(false)) return false;
    await syncDirectory(dir);
    return true;
  }
}

async function createDurably(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return true;
}

async function linkIfAbsent(source: string, path: string): Promise<boolean> {
  try {
    await link(source, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
