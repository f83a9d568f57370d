import {
  credentialAad,
  sealCredential,
  validateDocument,
  type SealKey,
} from '../../contract/index.js';
import type { DeviceApi } from './device-api-client.js';
import type { TapReading } from './emv.js';
import type { Flash } from './flash.js';
import { identifyMessage, type MessageBody } from './messages.js';

export type SealKeySync = 'updated' | 'unchanged' | 'failed' | 'no-source';

/**
 * The identity service's seal key, fetched from the device API and kept in flash (a public key
 * is no secret), so a cart that boots without a network can still identify. Without one the cart
 * cannot identify at all: a credential never leaves the cart in the clear.
 */
export class SealKeys {
  #key: SealKey | undefined;
  #syncing: Promise<SealKeySync> | undefined;

  private constructor(
    private readonly flash: Flash,
    private readonly source: Pick<DeviceApi, 'sealKey'> | undefined,
  ) {}

  static async open(flash: Flash, source?: Pick<DeviceApi, 'sealKey'>): Promise<SealKeys> {
    const keys = new SealKeys(flash, source);
    const stored = validateDocument<SealKey>('seal-key', await flash.readSealKey());
    if (stored.ok) keys.#key = stored.value;
    return keys;
  }

  get current(): SealKey | undefined {
    return this.#key;
  }

  /** Asks the device API; a failure keeps the key the cart had. Concurrent calls share one. */
  sync(): Promise<SealKeySync> {
    this.#syncing ??= this.#sync().finally(() => (this.#syncing = undefined));
    return this.#syncing;
  }

  async #sync(): Promise<SealKeySync> {
    if (!this.source) return 'no-source';
    try {
      const key = await this.source.sealKey();
      const held = this.#key;
      if (held && held.kid === key.kid && held.public_key === key.public_key) return 'unchanged';
      await this.flash.writeSealKey(key);
      this.#key = key;
      return 'updated';
    } catch {
      return 'failed';
    }
  }

  /**
   * The identify for a tap, its credential sealed to the identity service and bound to this
   * cart, session and method; undefined without a seal key. The plaintext goes no further than
   * this call's arguments.
   */
  identify(deviceId: string, sessionId: string, reading: TapReading): MessageBody | undefined {
    const key = this.#key;
    if (!key) return undefined;
    const credential = sealCredential(
      { kid: key.kid, publicKey: Buffer.from(key.public_key, 'base64url') },
      reading.value,
      credentialAad(deviceId, sessionId, reading.method),
    );
    return identifyMessage(sessionId, reading.method, credential);
  }
}
