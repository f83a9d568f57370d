import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFailure } from '../../shared/failure.js';
import { kmsFailure } from './kms-failure.js';

function named(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...extra });
}

describe('kmsFailure', () => {
  it('sorts KMS and SDK errors into decrypt-failed, refused (operator acts) and unavailable (retry)', () => {
    const cases: [unknown, string][] = [
      [named('InvalidCiphertextException'), 'decrypt-failed'],
      [named('IncorrectKeyException'), 'decrypt-failed'],
      [named('NotFoundException'), 'key-provider-refused'],
      [named('KMSInvalidStateException'), 'key-provider-refused'],
      [named('AccessDeniedException'), 'key-provider-refused'],
      [named('CredentialsProviderError'), 'key-provider-refused'],
      [named('ThrottlingException'), 'key-provider-unavailable'],
      [named('KMSInternalException'), 'key-provider-unavailable'],
      [named('KeyUnavailableException'), 'key-provider-unavailable'],
      [named('TimeoutError'), 'key-provider-unavailable'],
      [
        Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }),
        'key-provider-unavailable',
      ],
      ['a string', 'key-provider-unavailable'],
    ];
    for (const [error, code] of cases) {
      const failure = kmsFailure(error, 'Decrypt', 'fleetplane:data:x', 'alias/k');
      assert.ok(isFailure(failure));
      assert.equal(failure.code, code, String(error));
      assert.equal(failure.cause, error);
    }
  });

  it('names the operation, the purpose and the cause in the message', () => {
    const failure = kmsFailure(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      'GenerateDataKey',
      'fleetplane:salt:2026q3-1',
      'alias/fleetplane',
    );
    assert.match(failure.message, /GenerateDataKey of fleetplane:salt:2026q3-1: ECONNREFUSED/);
  });
});
