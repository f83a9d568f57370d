import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketOf, bucketUpperMs, merge, percentileMs, record } from './latency-histogram.js';

describe('the latency histogram', () => {
  it('reads percentiles at most 2 % above the true value', () => {
    const h = {};
    for (let ms = 1; ms <= 1000; ms++) record(h, ms);
    for (const [p, truth] of [
      [50, 500],
      [99, 990],
      [100, 1000],
    ] as const) {
      const read = percentileMs(h, p);
      assert.ok(read >= truth && read <= truth * 1.02, `p${p}: ${read} for ${truth}`);
    }
  });

  it('merges windows into the distribution of their union', () => {
    const fast = {};
    const slow = {};
    for (let i = 0; i < 99; i++) record(fast, 2);
    record(slow, 400);
    const both = merge([fast, slow]);
    assert.ok(percentileMs(both, 99) < 2.1);
    assert.ok(percentileMs(both, 100) >= 400);
    assert.equal(percentileMs({}, 99), 0);
  });

  it('puts a latency in a bucket whose upper edge holds it', () => {
    for (const ms of [0.01, 0.3, 7.77, 12_345]) {
      assert.ok(bucketUpperMs(bucketOf(ms)) >= ms);
      if (bucketOf(ms) > 0) assert.ok(bucketUpperMs(bucketOf(ms) - 1) < ms);
    }
  });
});
