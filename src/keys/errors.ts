import { Failure } from '../failure.js';

/** Every expected failure of the key provider, in one closed set. */
export type KeyErrorCode =
  | 'unknown-salt'
  | 'salt-expired'
  | 'invalid-key-name'
  | 'key-destroyed'
  | 'keyring-corrupt'
  | 'decrypt-failed';

export class KeyFailure extends Failure<KeyErrorCode> {}

export function keyFailure(code: KeyErrorCode, message: string): KeyFailure {
  return new KeyFailure(code, message);
}
