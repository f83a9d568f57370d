import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  corruptFile,
  createJsonFileExclusive,
  listDirectory,
  readJsonFile,
  writeJsonFileAtomic,
} from '../data-dir/index.js';
import { isSealed, open, seal, type Sealed } from './envelope.js';
import { keyFailure } from './errors.js';
import {
  isKeyName,
  type Clock,
  type KeyProvider,
  type Salt,
  type SaltStatus,
} from './key-provider.js';
import { SaltRotation } from './salt-rotation.js';
import type { SaltInfo } from './schedule.js';

/**
 * The embedded key provider: key material in files under `DIR/keys/`, mode 0600, written
 * atomically. Envelope encryption: salts and data keys are stored only wrapped (AES-256-GCM) by a
 * master key that never leaves `master.json`; a KMS adapter replaces exactly that wrapping.
 *
 *   DIR/keys/master.json          the keyring master key
 *   DIR/keys/salts/<id>.json      one file per salt: id, quarter, activeFrom, wrapped material
 *   DIR/keys/data/<name>.json     one file per data key: wrapped, or a tombstone once destroyed
 *
 * One file per salt and per key, each created exclusively, so two processes that rotate or create
 * at the same moment agree on one winner and nothing is rewritten in place.
 */
export class LocalKeyring implements KeyProvider {
  readonly dir: string;
  private master: Buffer | undefined;
  private readonly materials = new Map<string, Buffer>();
  private readonly salts: SaltRotation<LocalSalt>;

  constructor(
    dataDir: string,
    private readonly now: Clock = () => new Date(),
  ) {
    this.dir = join(resolve(dataDir), 'keys');
    this.salts = new SaltRotation<LocalSalt>(
      {
        where: this.dir,
        list: () => this.readSalts(),
        create: (info) => this.createSalt(info),
        material: (record) => this.saltMaterial(record),
      },
      now,
    );
  }

  currentSalt(): Promise<Salt> {
    return this.salts.currentSalt();
  }

  salt(id: string): Promise<Salt> {
    return this.salts.salt(id);
  }

  saltStatus(): Promise<SaltStatus[]> {
    return this.salts.saltStatus();
  }

  rotateSalt(): Promise<Salt> {
    return this.salts.rotateSalt();
  }

  async dataKey(name: string): Promise<Buffer> {
    if (!isKeyName(name)) throw keyFailure('invalid-key-name', `'${name}' is not a key name`);
    const path = this.dataKeyPath(name);
    let record = await readJsonFile(path);
    if (record === undefined) {
      const key = randomBytes(32);
      const created = await createJsonFileExclusive(
        path,
        {
          name,
          createdAt: this.now().toISOString(),
          wrapped: await this.wrap(key, `data:${name}`),
        },
        { mode: 0o600 },
      );
      if (created) return key;
      record = await readJsonFile(path);
    }
    const r = record as { destroyedAt?: string; wrapped?: unknown };
    if (typeof r?.destroyedAt === 'string') {
      throw keyFailure('key-destroyed', `data key '${name}' was destroyed on ${r.destroyedAt}`);
    }
    if (!isSealed(r?.wrapped)) throw corruptFile(path, 'no wrapped key');
    return this.unwrap(r.wrapped, `data:${name}`);
  }

  async destroyDataKey(name: string): Promise<boolean> {
    if (!isKeyName(name)) throw keyFailure('invalid-key-name', `'${name}' is not a key name`);
    const path = this.dataKeyPath(name);
    const record = (await readJsonFile(path)) as { destroyedAt?: string } | undefined;
    if (typeof record?.destroyedAt === 'string') return false;
    // Replacing the file with a tombstone drops the only wrapped copy; the name stays taken.
    await writeJsonFileAtomic(
      path,
      { name, destroyedAt: this.now().toISOString() },
      { mode: 0o600 },
    );
    return true;
  }

  private dataKeyPath(name: string): string {
    return join(this.dir, 'data', `${name}.json`);
  }

  private async createSalt(info: SaltInfo): Promise<Buffer | undefined> {
    const material = randomBytes(32);
    const created = await createJsonFileExclusive(
      join(this.dir, 'salts', `${info.id}.json`),
      {
        id: info.id,
        quarter: info.quarter,
        activeFrom: info.activeFrom.toISOString(),
        reason: info.reason,
        createdAt: this.now().toISOString(),
        wrapped: await this.wrap(material, `salt:${info.id}`),
      },
      { mode: 0o600 },
    );
    if (!created) return undefined;
    this.materials.set(info.id, material);
    return material;
  }

  private async readSalts(): Promise<LocalSalt[]> {
    const dir = join(this.dir, 'salts');
    const salts = [];
    for (const file of await listDirectory(dir)) {
      if (!file.endsWith('.json')) continue;
      const path = join(dir, file);
      const r = (await readJsonFile(path)) as Record<string, unknown> | undefined;
      const activeFrom = new Date(String(r?.['activeFrom']));
      if (
        typeof r?.['id'] !== 'string' ||
        `${r['id']}.json` !== file ||
        typeof r['quarter'] !== 'string' ||
        Number.isNaN(activeFrom.getTime()) ||
        !isSealed(r['wrapped'])
      ) {
        throw corruptFile(path, 'not a salt record');
      }
      salts.push({
        id: r['id'],
        quarter: r['quarter'],
        activeFrom,
        reason: r['reason'] as SaltInfo['reason'],
        wrapped: r['wrapped'],
      });
    }
    return salts;
  }

  private async saltMaterial(record: LocalSalt): Promise<Buffer> {
    let material = this.materials.get(record.id);
    if (!material) {
      material = await this.unwrap(record.wrapped, `salt:${record.id}`);
      this.materials.set(record.id, material);
    }
    return material;
  }

  private async wrap(key: Buffer, purpose: string): Promise<Sealed> {
    return seal(await this.masterKey(), key, `fleetplane:${purpose}`);
  }

  private async unwrap(wrapped: Sealed, purpose: string): Promise<Buffer> {
    return open(await this.masterKey(), wrapped, `fleetplane:${purpose}`);
  }

  private async masterKey(): Promise<Buffer> {
    if (this.master) return this.master;
    // Directories private too (0700), created before any key file exists in them.
    for (const sub of ['salts', 'data'])
      await mkdir(join(this.dir, sub), { recursive: true, mode: 0o700 });
    const path = join(this.dir, 'master.json');
    let record = await readJsonFile(path);
    if (record === undefined) {
      await createJsonFileExclusive(
        path,
        {
          version: 1,
          createdAt: this.now().toISOString(),
          key: randomBytes(32).toString('base64'),
        },
        { mode: 0o600 },
      );
      record = await readJsonFile(path);
    }
    const key = Buffer.from(String((record as { key?: unknown })?.key ?? ''), 'base64');
    if (key.length !== 32) throw corruptFile(path, 'the master key is not 256 bits');
    this.master = key;
    return key;
  }
}

type LocalSalt = SaltInfo & { readonly wrapped: Sealed };
