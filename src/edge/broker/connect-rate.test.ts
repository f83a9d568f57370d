import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectRateLimiter } from './connect-rate.js';

describe('ConnectRateLimiter', () => {
  it('is not drained by the host clock stepping back an hour', () => {
    const limiter = new ConnectRateLimiter({ burst: 2, perMinute: 1 });
    assert.equal(limiter.take('A', 3_600_000), true);
    assert.equal(limiter.take('A', 0), true, 'the token left is still there');
    assert.equal(limiter.take('A', 0), false);
    assert.equal(limiter.take('A', 60_000), true, 'refilled a minute after the step');
  });

  it('lets a device connect a burst at once, then at the steady rate, each device on its own', () => {
    const limiter = new ConnectRateLimiter({ burst: 3, perMinute: 6 });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take('A', 0)),
      [true, true, true, false],
    );
    assert.equal(limiter.take('B', 0), true, 'another device has its own bucket');
    assert.equal(limiter.take('A', 9_000), false, 'a connect every 10 s, not sooner');
    assert.equal(limiter.take('A', 10_000), true);
    assert.equal(limiter.take('A', 10_001), false);
  });

  it('stays bounded under many identities, forgetting buckets that have refilled', () => {
    const limiter = new ConnectRateLimiter({ burst: 2, perMinute: 60 }, 3);
    for (const id of ['A', 'B', 'C']) limiter.take(id, 0);
    assert.equal(limiter.take('D', 60_000), true);
    assert.equal(limiter.take('A', 60_000), true, 'A refilled and was forgotten: a fresh bucket');
  });
});
