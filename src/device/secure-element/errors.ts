import { Failure } from '../../shared/failure.js';

/** Expected failures of the device's key storage. */
export type KeystoreErrorCode = 'key-unreadable' | 'key-exists' | 'wrong-key-type';

export class KeystoreFailure extends Failure<KeystoreErrorCode> {}
