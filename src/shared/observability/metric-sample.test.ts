import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketDelta, quantile, sampleBetween, snapshot, zeroSnapshot } from './metric-sample.js';
import { PlatformMetrics } from './metrics.js';

const BOUNDS = [0.01, 0.1, 1, Infinity];
const close = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);

describe('metric samples', () => {
  it('estimates a quantile by interpolating inside the bucket that holds its rank', () => {
    const buckets = { bounds: BOUNDS, counts: [50, 90, 100, 100] };
    close(quantile(buckets, 0.5), 0.01); // rank 50, the top of the first bucket (from 0)
    close(quantile(buckets, 0.7), 0.01 + 0.09 * (20 / 40)); // rank 70: 20 of the second's 40
    close(quantile(buckets, 0.99), 0.1 + 0.9 * (9 / 10)); // rank 99: 9 of the third's 10
    assert.equal(quantile({ bounds: BOUNDS, counts: [0, 0, 0, 0] }, 0.5), null, 'nothing observed');
    // Past every finite bound the buckets can only say "more than the last one".
    assert.equal(quantile({ bounds: BOUNDS, counts: [0, 0, 1, 5] }, 0.5), 1);
  });

  it('takes percentiles of the interval alone, from bucket deltas, not of the all-time histogram', () => {
    const before = { bounds: BOUNDS, counts: [1000, 1000, 1000, 1000] };
    const after = { bounds: BOUNDS, counts: [1000, 1060, 1100, 1100] };
    const interval = bucketDelta(before, after);
    assert.deepEqual(interval.counts, [0, 60, 100, 100]);
    close(quantile(interval, 0.5), 0.01 + 0.09 * (50 / 60));
    close(quantile(interval, 0.99), 0.1 + 0.9 * (39 / 40));
    // The all-time view would say the median is under 10 ms: the old fast messages drown it.
    assert.ok(quantile(after, 0.5)! <= 0.01);
    // A histogram that went down was reset: what it holds now all happened since.
    assert.deepEqual(bucketDelta(after, before), before);
  });

  it('samples what happened between two readings of the platform metrics', async () => {
    const metrics = new PlatformMetrics();
    metrics.ingested.inc({ outcome: 'stored', type: 'scan' }, 40);
    metrics.rejects.inc({ reason: 'signature' }, 3);
    metrics.publishToStored.observe(5);
    const first = await snapshot(metrics);
    const opening = sampleBetween(zeroSnapshot(), first, 60_000, 60_000);
    assert.equal(opening.stored, 40, 'the first interval counts from zero');

    metrics.ingested.inc({ outcome: 'stored', type: 'scan' }, 100);
    metrics.ingested.inc({ outcome: 'stored', type: 'health' }, 20);
    metrics.ingested.inc({ outcome: 'duplicate', type: 'scan' }, 7);
    metrics.rejects.inc({ reason: 'signature' }, 2);
    metrics.rejects.inc({ reason: 'schema' }, 1);
    metrics.authFailures.inc({ stage: 'tls' }, 4);
    metrics.authFailures.inc({ stage: 'admission' });
    metrics.connectedDevices.set({ device_class: 'cart' }, 12);
    metrics.connectedDevices.set({ device_class: 'coldchain' }, 3);
    for (let i = 0; i < 99; i++) metrics.publishToStored.observe(0.02);
    metrics.publishToStored.observe(0.4);
    const sample = sampleBetween(first, await snapshot(metrics), 120_000, 60_000);

    assert.equal(sample.at, 120_000);
    assert.equal(sample.stored, 120);
    assert.deepEqual(sample.rejectsByReason, { signature: 2, schema: 1 });
    assert.equal(sample.authFailures, 5);
    assert.deepEqual(sample.authFailuresByStage, { tls: 4, admission: 1 });
    assert.equal(sample.connectedDevices, 15);
    // 99 at 20 ms (bucket 10–25 ms) and one at 400 ms; the 5 s of the first interval is gone.
    close(sample.publishToStoredP50Ms, 10 + 15 * (50 / 99));
    close(sample.publishToStoredP99Ms, 10 + 15 * (99 / 99));
  });

  it('cuts an interval by store: counts since the last reading, connected at its end, quiet stores left out', async () => {
    const metrics = new PlatformMetrics();
    metrics.cuts.stored('cart', 'berlin-1', '2.4.1');
    metrics.cuts.stored('cart', 'hamburg-2', '2.4.1');
    metrics.cuts.connected('cart', 'hamburg-2');
    const first = await snapshot(metrics);
    metrics.cuts.stored('cart', 'berlin-1', '2.4.1');
    metrics.cuts.stored('coldchain', 'berlin-1', '1.0.0'); // classes add up within a store
    metrics.cuts.rejected('cart', 'berlin-1', '2.4.1');
    metrics.cuts.disconnected('cart', 'hamburg-2');
    metrics.cuts.connected('cart', 'munich-3');
    for (let i = 0; i < 20; i++) metrics.publishToStored.observe(0.02);
    const sample = sampleBetween(first, await snapshot(metrics), 120_000, 60_000);
    assert.deepEqual(sample.byStore, {
      'berlin-1': { stored: 2, rejected: 1, connectedDevices: 0 },
      'munich-3': { stored: 0, rejected: 0, connectedDevices: 1 },
    });
    close(sample.publishToStoredP95Ms, 10 + 15 * (19 / 20));
  });
});
