import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  corruptFile,
  createJsonFileExclusive,
  explainFsError,
  listDirectory,
  readJsonFile,
  writeJsonFileAtomic,
} from '../data-dir/index.js';
import { keyFailure } from './errors.js';
import {
  isStoreName,
  parseWrappedKeyRecord,
  type StoredRecord,
  type WrappedKeyRecord,
  type WrappedKeyStore,
} from './wrapped-key-store.js';

/**
 * Wrapped keys as files, one per record (`<dir>/<name>.json`), mode 0600 in 0700 directories,
 * written with the data-dir helpers like the local keyring's: created exclusively (`link`), a
 * tombstone replaced atomically (`rename`). The files hold KMS ciphertext only, but which keys
 * exist and when salts rotate is still nobody else's business.
 */
export class FileWrappedKeyStore implements WrappedKeyStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get where(): string {
    return this.dir;
  }

  async get(name: string): Promise<WrappedKeyRecord | undefined> {
    const path = this.path(name);
    const value = await readJsonFile(path);
    return value === undefined ? undefined : this.parse(path, value);
  }

  async createExclusive(name: string, record: WrappedKeyRecord): Promise<boolean> {
    const path = this.path(name);
    await this.privateDir(path);
    return createJsonFileExclusive(path, record, { mode: 0o600 });
  }

  async replace(name: string, record: WrappedKeyRecord): Promise<void> {
    const path = this.path(name);
    await this.privateDir(path);
    await writeJsonFileAtomic(path, record, { mode: 0o600 });
  }

  async list(prefix: string): Promise<StoredRecord[]> {
    const slash = prefix.lastIndexOf('/');
    const folder = prefix.slice(0, slash + 1);
    const start = prefix.slice(slash + 1);
    if (folder !== '' && !isStoreName(folder.slice(0, -1))) throw badName(prefix);
    const records: StoredRecord[] = [];
    for (const file of await listDirectory(join(this.dir, folder))) {
      if (!file.endsWith('.json') || !file.startsWith(start)) continue;
      const name = folder + file.slice(0, -'.json'.length);
      const record = await this.get(name);
      if (record) records.push({ name, record }); // else removed by hand since the listing
    }
    return records;
  }

  private path(name: string): string {
    if (!isStoreName(name)) throw badName(name);
    return join(this.dir, `${name}.json`);
  }

  private parse(path: string, value: unknown): WrappedKeyRecord {
    const record = parseWrappedKeyRecord(value);
    if (!record) throw corruptFile(path, 'not a wrapped key record');
    return record;
  }

  /** The record's directory, and every one above it up to the store's, private (0700). */
  private async privateDir(path: string): Promise<void> {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) =>
      explainFsError(error, dir, 'create directory'),
    );
  }
}

function badName(name: string) {
  return keyFailure('invalid-key-name', `'${name}' is not a wrapped key store name`);
}
