import { createHash, createPublicKey } from 'node:crypto';
import { rawPublicKey, x25519PrivateKey, type SealKey } from '../../contract/index.js';
import type { KeyProvider } from '../../stores/keys/key-provider.js';

// One generation for now; a rotation adds `.2` and keeps `.1` until no cart can still hold it.
const KEY_NAME = 'identity.credential-seal.1';

interface SealKeyPair {
  readonly doc: SealKey;
  readonly privateKey: Buffer;
}

/**
 * The identity service's credential seal key: X25519, its private half a data key from the key
 * provider (any 32 bytes are an X25519 key), so it is wrapped at rest like every other key and
 * never leaves this service. Carts fetch the public half from the device API.
 */
export class CredentialSealKeys {
  #pair: Promise<SealKeyPair> | undefined;

  constructor(private readonly keys: KeyProvider) {}

  async current(): Promise<SealKey> {
    return (await this.#load()).doc;
  }

  /** The private key for a kid a cart sealed to; undefined for a kid this service never had. */
  async privateKeyFor(kid: string): Promise<Buffer | undefined> {
    const pair = await this.#load();
    return pair.doc.kid === kid ? pair.privateKey : undefined;
  }

  #load(): Promise<SealKeyPair> {
    this.#pair ??= (async () => {
      const privateKey = await this.keys.dataKey(KEY_NAME);
      const publicKey = rawPublicKey(createPublicKey(x25519PrivateKey(privateKey)));
      const kid = `seal-${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
      const doc: SealKey = {
        schema_version: 1,
        type: 'seal-key',
        kid,
        alg: 'x25519-hkdf-sha256-a256gcm',
        public_key: publicKey.toString('base64url'),
      };
      return { doc, privateKey };
    })();
    this.#pair.catch(() => (this.#pair = undefined));
    return this.#pair;
  }
}
