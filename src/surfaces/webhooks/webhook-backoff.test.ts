import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY, retryDelayMs } from './webhook-backoff.js';

describe('webhook retry backoff', () => {
  it('doubles from 10 s and caps at an hour, jitter taking off at most half', () => {
    // 1 is past what Math.random returns, and so bounds it from above exactly.
    const high = (n: number) => retryDelayMs(n, DEFAULT_RETRY, () => 1);
    const low = (n: number) => retryDelayMs(n, DEFAULT_RETRY, () => 0);
    assert.deepEqual([1, 2, 3, 4].map(low), [5_000, 10_000, 20_000, 40_000]);
    assert.deepEqual([1, 2, 3].map(high), [10_000, 20_000, 40_000]);
    assert.equal(high(9), 2_560_000);
    assert.equal(high(10), 3_600_000);
    assert.equal(high(20), 3_600_000);
    assert.equal(low(20), 1_800_000);
  });

  it('never makes a gap below the cap shorter than the one before, whatever the jitter', () => {
    for (let attempts = 1; attempts < 8; attempts++) {
      const longestNow = retryDelayMs(attempts, DEFAULT_RETRY, () => 1);
      const shortestNext = retryDelayMs(attempts + 1, DEFAULT_RETRY, () => 0);
      assert.ok(longestNow <= shortestNext, `attempt ${attempts}`);
    }
  });
});
