import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lagPercentile, StoredLag } from './stored-lag.js';

describe('the stored-lag buckets an ingest process reports', () => {
  it('count each lag in the first bucket whose bound holds it, past the last in the overflow', () => {
    const lag = new StoredLag();
    for (const ms of [0.4, 1, 3, 3, 60_000]) lag.record(ms);
    const { counts } = lag.report();
    assert.deepEqual(counts.slice(0, 3), [2, 0, 2]);
    assert.equal(counts.at(-1), 1);
  });

  it('give the bound under which a share of the lags fall', () => {
    const lag = new StoredLag();
    for (let i = 0; i < 98; i++) lag.record(4);
    lag.record(150);
    lag.record(150);
    assert.equal(lagPercentile(lag.counts, 0.5), 5);
    assert.equal(lagPercentile(lag.counts, 0.99), 200);
    assert.equal(lagPercentile(new StoredLag().counts, 0.99), 0);
  });
});
