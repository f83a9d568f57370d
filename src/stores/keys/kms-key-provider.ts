import type * as KmsSdk from '@aws-sdk/client-kms';
import type {
  DecryptCommand,
  DecryptCommandOutput,
  GenerateDataKeyCommand,
  GenerateDataKeyCommandOutput,
} from '@aws-sdk/client-kms';
import { keyFailure } from './errors.js';
import {
  isKeyName,
  type Clock,
  type KeyProvider,
  type Salt,
  type SaltStatus,
} from './key-provider.js';
import { kmsFailure } from './kms-failure.js';
import { PlaintextCache } from './plaintext-cache.js';
import { SaltRotation } from './salt-rotation.js';
import type { SaltInfo } from './schedule.js';
import type { WrappedKeyStore, WrappedSalt } from './wrapped-key-store.js';

/** The part of KMSClient this adapter uses: a KMSClient is one; a test may pass its own. */
export interface KmsClientLike {
  send(command: GenerateDataKeyCommand): Promise<GenerateDataKeyCommandOutput>;
  send(command: DecryptCommand): Promise<DecryptCommandOutput>;
}

export interface KmsKeyProviderOptions {
  readonly kms: KmsClientLike;
  /** The customer-managed KMS key that wraps everything: key id, key ARN, alias name or alias ARN. */
  readonly keyId: string;
  readonly store: WrappedKeyStore;
  readonly now?: Clock;
  /** How long unwrapped material stays in memory; 60 s unless told. 0 turns the cache off. */
  readonly cacheTtlMs?: number;
  /** At most this many unwrapped keys in memory; 1000 unless told. */
  readonly cacheMaxEntries?: number;
}

const DEFAULT_CACHE_TTL_MS = 60_000;
const DEFAULT_CACHE_MAX_ENTRIES = 1000;

/**
 * The KeyProvider port on AWS KMS. Salts and data keys come from KMS `GenerateDataKey` (AES_256)
 * under one customer-managed key; only the wrapped `CiphertextBlob` is stored (WrappedKeyStore),
 * and reading one back is a KMS `Decrypt`. The encryption context `{ purpose:
 * 'fleetplane:data:<name>' }` or `'fleetplane:salt:<id>'` binds each blob to its name the way the
 * local keyring's associated data does: a blob copied under another name does not decrypt.
 *
 * Unwrapped material is cached in memory for a short, bounded time: without it every key lookup
 * (the masking job asks once per record) would be a KMS round trip, billed and counted against
 * the account's request quota. Bounded, so disabling the KMS key or revoking this process's access
 * takes effect within a minute rather than at the next restart, and so plaintext does not sit in
 * a long-running heap. A destroyed key's tombstone is checked on every lookup, cache or not.
 */
export class KmsKeyProvider implements KeyProvider {
  readonly keyId: string;
  private readonly kms: KmsClientLike;
  private readonly store: WrappedKeyStore;
  private readonly now: Clock;
  private readonly cache: PlaintextCache;
  private readonly salts: SaltRotation<WrappedSaltInfo>;
  /** One Decrypt per name at a time, however many callers ask at once. */
  private readonly unwrapping = new Map<string, Promise<Buffer>>();

  constructor(options: KmsKeyProviderOptions) {
    this.kms = options.kms;
    this.keyId = options.keyId;
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.cache = new PlaintextCache(
      this.now,
      options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
    );
    this.salts = new SaltRotation<WrappedSaltInfo>(
      {
        where: `${this.store.where} (wrapped by KMS key ${this.keyId})`,
        list: () => this.readSalts(),
        create: (info) => this.createSalt(info),
        material: (salt) =>
          this.unwrap(`salts/${salt.id}`, salt.record, `fleetplane:salt:${salt.id}`),
      },
      this.now,
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
    const storeName = dataName(name);
    const purpose = `fleetplane:data:${name}`;
    let record = await this.store.get(storeName);
    if (record === undefined) {
      const fresh = await this.generate(purpose);
      const created = await this.store.createExclusive(storeName, {
        kind: 'data-key',
        name,
        createdAt: this.now().toISOString(),
        kmsKeyArn: fresh.kmsKeyArn,
        ciphertextBlob: fresh.ciphertextBlob,
      });
      if (created) {
        this.cache.set(storeName, fresh.plaintext);
        return fresh.plaintext;
      }
      fresh.plaintext.fill(0); // another process created the key first: theirs is the key
      record = await this.store.get(storeName);
    }
    if (record?.kind === 'destroyed') {
      this.cache.delete(storeName);
      throw keyFailure(
        'key-destroyed',
        `data key '${name}' was destroyed on ${record.destroyedAt}`,
      );
    }
    if (record?.kind !== 'data-key' || record.name !== name) {
      throw keyFailure('keyring-corrupt', `${this.store.where}: '${storeName}' is not a data key`);
    }
    return this.unwrap(storeName, record, purpose);
  }

  async destroyDataKey(name: string): Promise<boolean> {
    const storeName = dataName(name);
    const record = await this.store.get(storeName);
    this.cache.delete(storeName);
    if (record?.kind === 'destroyed') return false;
    // Drops the only wrapped copy this store holds; the tombstone keeps the name taken so the key
    // can never be re-created under it. KMS is not called: the CMK wraps other keys too.
    await this.store.replace(storeName, {
      kind: 'destroyed',
      name,
      destroyedAt: this.now().toISOString(),
    });
    return true;
  }

  /** Forgets (and zeroes) every cached key, e.g. at shutdown. */
  forgetCachedKeys(): void {
    this.cache.clear();
  }

  private async readSalts(): Promise<WrappedSaltInfo[]> {
    const salts: WrappedSaltInfo[] = [];
    for (const { name, record } of await this.store.list('salts/')) {
      if (record.kind !== 'salt' || name !== `salts/${record.id}`) {
        throw keyFailure('keyring-corrupt', `${this.store.where}: '${name}' is not a salt`);
      }
      salts.push({
        id: record.id,
        quarter: record.quarter,
        activeFrom: new Date(record.activeFrom),
        reason: record.reason,
        record,
      });
    }
    return salts;
  }

  private async createSalt(info: SaltInfo): Promise<Buffer | undefined> {
    const fresh = await this.generate(`fleetplane:salt:${info.id}`);
    const created = await this.store.createExclusive(`salts/${info.id}`, {
      kind: 'salt',
      id: info.id,
      quarter: info.quarter,
      activeFrom: info.activeFrom.toISOString(),
      reason: info.reason,
      createdAt: this.now().toISOString(),
      kmsKeyArn: fresh.kmsKeyArn,
      ciphertextBlob: fresh.ciphertextBlob,
    });
    if (!created) {
      fresh.plaintext.fill(0);
      return undefined;
    }
    this.cache.set(`salts/${info.id}`, fresh.plaintext);
    return fresh.plaintext;
  }

  private async generate(purpose: string): Promise<Generated> {
    const { GenerateDataKeyCommand } = await sdk();
    let out: GenerateDataKeyCommandOutput;
    try {
      out = await this.kms.send(
        new GenerateDataKeyCommand({
          KeyId: this.keyId,
          KeySpec: 'AES_256',
          EncryptionContext: { purpose },
        }),
      );
    } catch (error) {
      throw kmsFailure(error, 'GenerateDataKey', purpose, this.keyId);
    }
    if (out.Plaintext?.length !== 32 || !out.CiphertextBlob?.length || !out.KeyId) {
      throw keyFailure('key-provider-unavailable', `KMS answered GenerateDataKey without a key`);
    }
    return {
      plaintext: Buffer.from(out.Plaintext),
      ciphertextBlob: Buffer.from(out.CiphertextBlob).toString('base64'),
      kmsKeyArn: out.KeyId,
    };
  }

  private async unwrap(
    cacheKey: string,
    record: { kmsKeyArn: string; ciphertextBlob: string },
    purpose: string,
  ): Promise<Buffer> {
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    let pending = this.unwrapping.get(cacheKey);
    if (!pending) {
      pending = this.decrypt(record, purpose).finally(() => this.unwrapping.delete(cacheKey));
      this.unwrapping.set(cacheKey, pending);
    }
    const material = await pending;
    this.cache.set(cacheKey, material);
    return Buffer.from(material); // every caller its own copy, as from the cache
  }

  private async decrypt(
    record: { kmsKeyArn: string; ciphertextBlob: string },
    purpose: string,
  ): Promise<Buffer> {
    const { DecryptCommand } = await sdk();
    let out: DecryptCommandOutput;
    try {
      out = await this.kms.send(
        new DecryptCommand({
          // The key that wrapped it, by ARN as KMS reported it: Decrypt then refuses a blob made
          // under any other key, and moving the alias to a new key does not strand old blobs.
          KeyId: record.kmsKeyArn,
          CiphertextBlob: Buffer.from(record.ciphertextBlob, 'base64'),
          EncryptionContext: { purpose },
        }),
      );
    } catch (error) {
      throw kmsFailure(error, 'Decrypt', purpose, record.kmsKeyArn);
    }
    if (out.Plaintext?.length !== 32) {
      throw keyFailure('keyring-corrupt', `${purpose} did not unwrap to a 256-bit key`);
    }
    return Buffer.from(out.Plaintext);
  }
}

type WrappedSaltInfo = SaltInfo & { readonly record: WrappedSalt };

interface Generated {
  readonly plaintext: Buffer;
  readonly ciphertextBlob: string;
  readonly kmsKeyArn: string;
}

function dataName(name: string): string {
  if (!isKeyName(name)) throw keyFailure('invalid-key-name', `'${name}' is not a key name`);
  return `data/${name}`;
}

// The SDK takes ~0.3 s to load: only processes that use KMS pay for it, not every CLI command
// that imports src/stores/keys. Whoever built the KMSClient passed in has loaded it already.
let loading: Promise<typeof KmsSdk> | undefined;
function sdk(): Promise<typeof KmsSdk> {
  loading ??= import('@aws-sdk/client-kms');
  return loading;
}
