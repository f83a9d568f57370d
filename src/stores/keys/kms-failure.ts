import { KeyFailure } from './errors.js';

// KMS and SDK error names (the AWS `__type`, or the SDK's own) by what the caller can do about
// them. Anything not listed (throttling, KMS internal errors, timeouts, a refused connection, a
// 5xx) counts as unavailable: try again later.

/** The blob is not one this key wrapped under this context: tampered, copied or misfiled. */
const UNDECRYPTABLE = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/** KMS answers, but will not use the key for us until an operator acts. */
const REFUSED = new Set([
  'NotFoundException',
  'DisabledException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'InvalidArnException',
  'InvalidGrantTokenException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'CredentialsProviderError',
  'ValidationException',
]);

/**
 * Turns whatever the KMS client threw into a KeyFailure with a code from the closed set, keeping
 * the original as its cause: callers never see a raw SDK error.
 */
export function kmsFailure(
  error: unknown,
  operation: 'GenerateDataKey' | 'Decrypt',
  purpose: string,
  keyId: string,
): KeyFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  // Network errors are plain Errors with a system code (ECONNREFUSED, ETIMEDOUT, …).
  const what = name === 'Error' && typeof e.code === 'string' ? e.code : name;
  const detail = typeof e.message === 'string' && e.message !== '' ? `: ${e.message}` : '';
  const cause = { cause: error };
  if (UNDECRYPTABLE.has(name)) {
    return new KeyFailure(
      'decrypt-failed',
      `KMS will not decrypt ${purpose} with ${keyId}: wrong key, or the blob was tampered with or copied from another name (${what})`,
      cause,
    );
  }
  if (REFUSED.has(name)) {
    return new KeyFailure(
      'key-provider-refused',
      `KMS refused ${operation} of ${purpose} with ${keyId} (${what}${detail}); check the key exists, is enabled and this process may use it`,
      cause,
    );
  }
  return new KeyFailure(
    'key-provider-unavailable',
    `KMS is unavailable (${operation} of ${purpose}: ${what}${detail}); keys cannot be read or made until it answers again`,
    cause,
  );
}
