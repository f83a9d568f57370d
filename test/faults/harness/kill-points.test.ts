import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { killPoints } from './kill-points.js';

describe('kill points', () => {
  it('are ascending, distinct and inside the middle of the stream', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const points = killPoints(seed, 4, 1000);
      assert.equal(points.length, 4);
      for (let i = 0; i < points.length; i++) {
        assert.ok(points[i]! >= 100 && points[i]! < 900, `${points[i]} in [100, 900)`);
        if (i > 0) assert.ok(points[i]! > points[i - 1]!, `${points.join(',')} ascending`);
      }
    }
  });

  it('are the same for the same seed and differ for another', () => {
    assert.deepEqual(killPoints(7, 3, 500), killPoints(7, 3, 500));
    assert.notDeepEqual(killPoints(7, 3, 500), killPoints(8, 3, 500));
  });

  it('refuses a stream too short for the kills asked', () => {
    assert.throws(() => killPoints(1, 3, 20), /cannot place 3 kills in 20 messages/);
  });
});
