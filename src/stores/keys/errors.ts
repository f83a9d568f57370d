import { Failure } from '../../shared/failure.js';

/** Every expected failure of the key provider, in one closed set. */
export type KeyErrorCode =
  | 'unknown-salt'
  | 'salt-expired'
  | 'invalid-key-name'
  | 'key-destroyed'
  | 'keyring-corrupt'
  | 'decrypt-failed'
  // The key service (KMS) cannot be reached or is overloaded: retry later, nothing is wrong.
  | 'key-provider-unavailable'
  // The key service answers but will not serve this key to us (missing, disabled, pending
  // deletion, no permission, bad credentials): an operator must act.
  | 'key-provider-refused';

export class KeyFailure extends Failure<KeyErrorCode> {}

export function keyFailure(code: KeyErrorCode, message: string): KeyFailure {
  return new KeyFailure(code, message);
}
