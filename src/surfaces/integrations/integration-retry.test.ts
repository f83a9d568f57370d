import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelayMs } from '../webhooks/webhook-backoff.js';
import { DEFAULT_INTEGRATION_RETRY as retry } from './integration-retry.js';

describe('integration retries', () => {
  it('start at a second and double, jittered into the upper half', () => {
    assert.equal(
      retryDelayMs(1, retry, () => 0),
      500,
    );
    assert.equal(
      retryDelayMs(1, retry, () => 0.999999),
      1000,
    );
    assert.equal(
      retryDelayMs(4, retry, () => 0.999999),
      8000,
    );
  });

  it('never stop, and wait no more than five minutes however long a sink fails', () => {
    assert.equal(retry.maxAttempts, Number.POSITIVE_INFINITY);
    for (const failures of [20, 100, 10_000]) {
      const wait = retryDelayMs(failures, retry, () => 0.999999);
      assert.ok(wait <= 300_000 && wait >= 299_000, `${failures}: ${wait}`);
    }
  });
});
