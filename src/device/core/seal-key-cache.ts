import {
  sealCredential,
  validateDocument,
  type SealedCredential,
  type SealKey,
} from '../../contract/index.js';

/** Where the key is kept (flash) and where a fresh one comes from (the device API). */
export interface SealKeyStore {
  readSealKey(): Promise<SealKey | undefined>;
  writeSealKey(key: SealKey): Promise<void>;
}

export type SealKeySync = 'updated' | 'unchanged' | 'failed' | 'no-source';

/**
 * The platform's seal key, fetched from the device API and kept in flash (a public key is no
 * secret), so a device that boots without a network can still seal: as the cart's SealKeys does
 * for a customer's credential, here for any personal value (the tool's operator id). Without a
 * key nothing is sealed, and so nothing personal is sent at all.
 */
export class SealKeyCache {
  #key: SealKey | undefined;
  #syncing: Promise<SealKeySync> | undefined;

  private constructor(
    private readonly store: SealKeyStore,
    private readonly source: { sealKey?(): Promise<SealKey> } | undefined,
  ) {}

  static async open(
    store: SealKeyStore,
    source?: { sealKey?(): Promise<SealKey> },
  ): Promise<SealKeyCache> {
    const cache = new SealKeyCache(store, source);
    const stored = validateDocument<SealKey>('seal-key', await store.readSealKey());
    if (stored.ok) cache.#key = stored.value;
    return cache;
  }

  get current(): SealKey | undefined {
    return this.#key;
  }

  /** Asks the device API; a failure keeps the key held. Concurrent calls share one request. */
  sync(): Promise<SealKeySync> {
    this.#syncing ??= this.#sync().finally(() => (this.#syncing = undefined));
    return this.#syncing;
  }

  /** `value` sealed to the platform, bound to `aad`; undefined without a key. */
  seal(value: string, aad: string): SealedCredential | undefined {
    const key = this.#key;
    if (!key) return undefined;
    return sealCredential(
      { kid: key.kid, publicKey: Buffer.from(key.public_key, 'base64url') },
      value,
      aad,
    );
  }

  async #sync(): Promise<SealKeySync> {
    if (!this.source?.sealKey) return 'no-source';
    try {
      const checked = validateDocument<SealKey>('seal-key', await this.source.sealKey());
      if (!checked.ok) return 'failed';
      const key = checked.value;
      const held = this.#key;
      if (held && held.kid === key.kid && held.public_key === key.public_key) return 'unchanged';
      await this.store.writeSealKey(key);
      this.#key = key;
      return 'updated';
    } catch {
      return 'failed';
    }
  }
}
