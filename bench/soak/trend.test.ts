import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SOAK_BOUNDS,
  deliveryCheck,
  descriptorCheck,
  latencyCheck,
  leastSquares,
  memoryCheck,
  slopePerHour,
  warmupSeconds,
  type Point,
} from './trend.js';

/** Samples every 10 s for `minutes`, value = f(t). */
const series = (minutes: number, f: (t: number) => number): Point[] =>
  Array.from({ length: minutes * 6 + 1 }, (_, i) => ({ t: i * 10, value: f(i * 10) }));

// A fixed ±`amplitude` zig-zag: noise that averages out, and the same on every run.
const zigzag = (amplitude: number) => (t: number) => ((t / 10) % 2 === 0 ? amplitude : -amplitude);

describe('the soak trend', () => {
  it('recovers the slope and intercept of a straight line exactly', () => {
    const { slope, intercept } = leastSquares(series(30, (t) => 700 + 0.02 * t));
    assert.ok(Math.abs(slope - 0.02) < 1e-12);
    assert.ok(Math.abs(intercept - 700) < 1e-9);
  });

  it('gives per-hour slopes fitted only after the warm-up', () => {
    // Memory climbs for the first 5 minutes (caches filling), then stays flat.
    const points = series(30, (t) => 600 + Math.min(t, 300) * 0.5);
    assert.ok(slopePerHour(points) > 100);
    assert.equal(slopePerHour(points, 300), 0);
  });

  it('refuses to fit fewer than two samples or samples all at one time', () => {
    assert.throws(() => leastSquares([{ t: 0, value: 1 }]), /at least two samples/);
    assert.throws(
      () =>
        leastSquares([
          { t: 5, value: 1 },
          { t: 5, value: 2 },
        ]),
      /two different times/,
    );
  });
});

describe('the soak verdicts', () => {
  const fds = series(30, () => 10_040);

  it('passes flat memory with collector noise and fails a leak just over the bound', () => {
    const warmup = warmupSeconds(1800);
    assert.equal(warmup, 300);
    const flat = series(30, (t) => 900 + zigzag(20)(t));
    assert.equal(memoryCheck({ rssMb: flat, fds }, warmup).pass, true);
    const perSecond = (SOAK_BOUNDS.rssMbPerHour * 1.1) / 3600;
    const leaking = series(30, (t) => 900 + perSecond * t + zigzag(20)(t));
    const check = memoryCheck({ rssMb: leaking, fds }, warmup);
    assert.equal(check.pass, false);
    assert.match(check.figure, /^5\d\.\d MB\/h$/);
  });

  it('calls drift when the last third p99 passes 1.5 × the first plus 5 ms, not before', () => {
    assert.equal(latencyCheck(40, 65).pass, true);
    assert.equal(latencyCheck(40, 65.1).pass, false);
    // At a few milliseconds the slack, not the factor, absorbs timer jitter.
    assert.equal(latencyCheck(4, 10.9).pass, true);
  });

  it('fails descriptors that creep up one every 30 seconds and passes a steady count', () => {
    assert.equal(descriptorCheck({ rssMb: [], fds }, 300).pass, true);
    // One sample with 28 more (a file open while it was taken) is not growth.
    const blip = series(30, (t) => (t === 1790 ? 10_068 : 10_040));
    assert.equal(descriptorCheck({ rssMb: [], fds: blip }, 300).pass, true);
    const creeping = series(30, (t) => 10_040 + Math.floor(t / 30));
    const check = descriptorCheck({ rssMb: [], fds: creeping }, 300);
    assert.equal(check.pass, false);
    assert.match(check.figure, /^fitted rise 50\.\d/);
  });

  it('fails a run that left one message unacknowledged or had one connection dropped', () => {
    assert.equal(deliveryCheck({ sent: 900_000, unacknowledged: 0, dropped: 0 }).pass, true);
    assert.equal(deliveryCheck({ sent: 900_000, unacknowledged: 1, dropped: 0 }).pass, false);
    assert.equal(deliveryCheck({ sent: 900_000, unacknowledged: 0, dropped: 1 }).pass, false);
  });
});
