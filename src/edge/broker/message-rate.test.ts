import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageRateLimiter } from './message-rate.js';

describe('MessageRateLimiter', () => {
  it('is not drained by the host clock stepping back an hour', () => {
    const limiter = new MessageRateLimiter({ perSecond: 10, burst: 3 });
    const hourAhead = 3_600_000;
    assert.equal(limiter.take('A', hourAhead).waitMs, 0);
    // The clock steps back: the device still has what it had, and refills from the new time.
    assert.equal(limiter.take('A', 0).waitMs, 0);
    assert.equal(limiter.take('A', 0).waitMs, 0);
    assert.equal(limiter.take('A', 0).waitMs, 100);
    assert.equal(limiter.take('A', 100).waitMs, 0);
  });

  it('takes a burst at once, then one message per 1/rate, each device on its own', () => {
    const limiter = new MessageRateLimiter({ perSecond: 10, burst: 3 });
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.take('A', 0).waitMs),
      [0, 0, 0],
    );
    assert.deepEqual(limiter.take('A', 0), { waitMs: 100, episodeStarted: true });
    assert.equal(limiter.take('B', 0).waitMs, 0, 'another device has its own bucket');
    assert.deepEqual(limiter.take('A', 40), { waitMs: 60, episodeStarted: false });
    assert.equal(limiter.take('A', 100).waitMs, 0, 'one token back after 100 ms');
    assert.equal(limiter.take('A', 101).waitMs, 99);
  });

  it('starts a new episode only after the device has been within its rate long enough to refill', () => {
    const limiter = new MessageRateLimiter({ perSecond: 10, burst: 2 });
    limiter.take('A', 0);
    limiter.take('A', 0);
    assert.equal(started(limiter.take('A', 0)), true);
    // Flooding on: one message per token, never a new episode.
    for (let t = 100; t <= 1_000; t += 100) {
      assert.equal(limiter.take('A', t).waitMs, 0);
      assert.equal(started(limiter.take('A', t)), false);
    }
    // Quiet for 200 ms: the bucket is full again, the next flood is a new episode.
    limiter.take('A', 1_200);
    limiter.take('A', 1_200);
    assert.equal(started(limiter.take('A', 1_200)), true);
  });

  it('stays bounded under many devices, forgetting buckets that have refilled', () => {
    const limiter = new MessageRateLimiter({ perSecond: 1, burst: 1 }, 3);
    for (const id of ['A', 'B', 'C']) limiter.take(id, 0);
    assert.equal(limiter.take('D', 1_000).waitMs, 0);
    assert.equal(limiter.take('A', 1_000).waitMs, 0, 'A refilled and was forgotten');
  });

  it('refuses a rate that could never let a message through', () => {
    assert.throws(() => new MessageRateLimiter({ perSecond: 0, burst: 10 }), /perSecond > 0/);
    assert.throws(() => new MessageRateLimiter({ perSecond: 5, burst: 0.5 }), /burst >= 1/);
  });
});

function started(verdict: ReturnType<MessageRateLimiter['take']>): boolean {
  return 'episodeStarted' in verdict && verdict.episodeStarted;
}
