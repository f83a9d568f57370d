import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkedBlobKey, type BlobInfo, type BlobStore } from './blob-store.js';

export { BlobKeyFailure } from './blob-store.js';

/**
 * Blobs as files under one directory. A blob is written to a temporary file, flushed, then
 * renamed into place; its SHA-256 is kept beside it so `head` need not re-read the content.
 */
export class DirectoryBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(key: string, content: Uint8Array | Readable): Promise<BlobInfo> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const source = content instanceof Readable ? content : Readable.from([Buffer.from(content)]);
    try {
      await pipeline(source, measure, createWriteStream(temp, { flags: 'wx' }));
      const handle = await open(temp, 'r');
      await handle.sync().finally(() => handle.close());
      const info: BlobInfo = { key, size, sha256: hash.digest('hex') };
      await writeSidecar(`${path}.sha256`, info.sha256);
      await rename(temp, path);
      return info;
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<Readable | undefined> {
    const path = this.#path(key);
    try {
      await stat(path);
    } catch {
      return undefined;
    }
    return createReadStream(path);
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const path = this.#path(key);
    try {
      const [info, digest] = await Promise.all([stat(path), readSidecar(`${path}.sha256`)]);
      return { key, size: info.size, sha256: digest };
    } catch {
      return undefined;
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = this.#path(key);
    try {
      await unlink(path);
      await unlink(`${path}.sha256`).catch(() => undefined);
      return true;
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.endsWith('.sha256') && !entry.name.endsWith('.tmp')) {
          keys.push(relative(this.root, full).split(sep).join('/'));
        }
      }
    };
    await walk(this.root);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  #path(key: string): string {
    return join(this.root, ...checkedBlobKey(key).split('/'));
  }
}

async function writeSidecar(path: string, digest: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(digest);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readSidecar(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    return (await handle.readFile('utf8')).trim();
  } finally {
    await handle.close();
  }
}
