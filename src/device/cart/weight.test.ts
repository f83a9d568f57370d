import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../random.js';
import { checkWeight, WeightPlatform } from './weight.js';

describe('weight platform', () => {
  it('matches within ±20 g, mismatches outside, and does not check without an expected weight', () => {
    assert.equal(checkWeight(520, 500), 'match');
    assert.equal(checkWeight(480, 500), 'match');
    assert.equal(checkWeight(521, 500), 'mismatch');
    assert.equal(checkWeight(479, 500), 'mismatch');
    assert.equal(checkWeight(500, undefined), 'not-checked');
  });

  it('a calibrated platform matches the item put in; a 60 g miscalibration mismatches', () => {
    const platform = new WeightPlatform(mulberry32(3), 0);
    for (let i = 0; i < 200; i++) assert.equal(platform.measure(500, 500, 0).check, 'match');
    platform.miscalibrate(60);
    assert.equal(platform.measure(500, 500, 0).check, 'mismatch');
    assert.equal(platform.driftG(0), 60);
  });

  it('drifts slowly, reported in grams, and calibration zeroes it', () => {
    const platform = new WeightPlatform(mulberry32(3), 0, 0.5);
    assert.equal(platform.driftG(10 * 3_600_000), 5);
    platform.calibrate(10 * 3_600_000);
    assert.equal(platform.driftG(10 * 3_600_000), 0);
  });

  it('checks an item taken out against its weight with the sign turned', () => {
    const platform = new WeightPlatform(mulberry32(4), 0);
    platform.measure(500, 500, 0);
    const out = platform.measure(-500, 500, 0);
    assert.ok(out.deltaG < 0);
    assert.equal(out.check, 'match');
  });
});
