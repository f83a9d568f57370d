import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchClockSteps } from './clock-steps.js';

const HOUR = 3_600_000;

describe('watchClockSteps', () => {
  it("sums the wall clock's steps against the monotonic clock, and nothing for time passing", () => {
    let wall = 1_795_392_000_000;
    let monotonic = 5_000;
    const steps = watchClockSteps(
      () => wall,
      () => monotonic,
    );
    const pass = (ms: number) => ((wall += ms), (monotonic += ms));
    pass(30_000);
    assert.equal(steps.totalMs(), 0, 'time passing is no step');
    wall += HOUR;
    pass(1_000);
    assert.equal(steps.totalMs(), HOUR, 'an hour forward');
    assert.equal(steps.totalMs(), HOUR, 'seen once');
    wall -= HOUR;
    assert.equal(steps.totalMs(), 0, 'and back');
    wall += 300; // the clocks read a moment apart, or slewed: not a step
    pass(10_000);
    assert.equal(steps.totalMs(), 0);
  });
});
