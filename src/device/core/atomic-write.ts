import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';

/** Temporary file in the same directory, fsync, rename: all of the new version or none of it. */
export async function atomicWrite(
  path: string,
  data: string | Uint8Array,
  sync = true,
): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}
