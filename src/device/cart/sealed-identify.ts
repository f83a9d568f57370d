import { credentialAad, type SealKey } from '../../contract/index.js';
import { SealKeyCache, type SealKeySync } from '../core/seal-key-cache.js';
import type { DeviceApi } from './device-api-client.js';
import type { TapReading } from './emv.js';
import type { Flash } from './flash.js';
import { identifyMessage, type MessageBody } from './messages.js';

export type { SealKeySync };

/**
 * The identity service's seal key, fetched from the device API and kept in flash (a public key
 * is no secret), so a cart that boots without a network can still identify: the shared
 * SealKeyCache, as the connected tool uses it for its operator. Without one the cart cannot
 * identify at all: a credential never leaves the cart in the clear.
 */
export class SealKeys {
  private constructor(private readonly cache: SealKeyCache) {}

  static async open(flash: Flash, source?: Pick<DeviceApi, 'sealKey'>): Promise<SealKeys> {
    return new SealKeys(await SealKeyCache.open(flash, source));
  }

  get current(): SealKey | undefined {
    return this.cache.current;
  }

  /** Asks the device API; a failure keeps the key the cart had. Concurrent calls share one. */
  sync(): Promise<SealKeySync> {
    return this.cache.sync();
  }

  /**
   * The identify for a tap, its credential sealed to the identity service and bound to this
   * cart, session and method; undefined without a seal key. The plaintext goes no further than
   * this call's arguments.
   */
  identify(deviceId: string, sessionId: string, reading: TapReading): MessageBody | undefined {
    const credential = this.cache.seal(
      reading.value,
      credentialAad(deviceId, sessionId, reading.method),
    );
    return credential && identifyMessage(sessionId, reading.method, credential);
  }
}
