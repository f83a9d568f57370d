import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// The device model may not import the cloud's data-dir module, so it keeps its own small atomic
// write: a key file must never be seen half written or with loose permissions.

/** Writes a private file (0600) atomically; with `exclusive`, returns false if it exists. */
export async function writePrivateFile(
  path: string,
  data: string,
  options: { exclusive: boolean },
): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (!options.exclusive) {
      await rename(temp, path);
      return true;
    }
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
