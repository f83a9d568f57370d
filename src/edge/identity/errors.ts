import { Failure } from '../../shared/failure.js';

/**
 * Every expected failure of device identity, in one closed set. Callers (CLI, broker, ingest)
 * match on these codes; the messages are for people.
 */
export type IdentityErrorCode =
  // fleet CA
  | 'ca-not-initialised'
  | 'ca-corrupt'
  | 'ca-expired'
  | 'concurrent-change'
  | 'invalid-hostname'
  // stores
  | 'invalid-store'
  | 'unknown-store'
  | 'store-conflict'
  // provisioning
  | 'invalid-serial'
  | 'invalid-class'
  | 'duplicate-serial'
  | 'malformed-csr'
  | 'wrong-curve'
  | 'csr-signature-invalid'
  | 'csr-subject-mismatch'
  | 'unknown-device'
  | 'device-revoked'
  | 'store-mismatch'
  | 'class-mismatch'
  // admission
  | 'malformed-certificate'
  | 'not-a-device-certificate'
  | 'untrusted-issuer'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'certificate-mismatch';

export class IdentityFailure extends Failure<IdentityErrorCode> {}

export function identityFailure(code: IdentityErrorCode, message: string): IdentityFailure {
  return new IdentityFailure(code, message);
}
