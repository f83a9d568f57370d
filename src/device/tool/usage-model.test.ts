import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../random.js';
import { TOOL_PHYSICS, ToolUsage } from './usage-model.js';

const HOUR = 3_600_000;

describe('tool usage model', () => {
  it('gives the same shift for the same seed', () => {
    const run = () => {
      const u = new ToolUsage(0, mulberry32(11));
      u.working = true;
      return Array.from({ length: 30 }, (_, i) => u.advance((i + 1) * 60_000));
    };
    assert.deepEqual(run(), run());
  });

  it('runs a full pack down in about its rated motor time, then stops counting cycles', () => {
    const u = new ToolUsage(0, mulberry32(2));
    u.working = true;
    let minutes = 0;
    let last = u.advance(0);
    for (let h = 1; h <= 8; h++) {
      last = u.advance(h * HOUR);
      minutes += last.usageMinutes;
    }
    const rated = (TOOL_PHYSICS.packAh * 60) / TOOL_PHYSICS.loadA;
    assert.equal(last.batteryPct, 0);
    assert.ok(Math.abs(minutes - rated) < 0.1, `${minutes} of ${rated} minutes`);
    assert.equal(u.advance(9 * HOUR).cycles, 0);
  });

  it('charges on the charger at its rate and does no work there', () => {
    const u = new ToolUsage(0, mulberry32(3), { batteryPct: 0 });
    u.working = true;
    u.onCharger = true;
    const half = u.advance(HOUR / 2);
    assert.equal(half.cycles, 0);
    assert.equal(half.batteryPct, 50);
    assert.equal(u.advance(2 * HOUR).batteryPct, 100);
  });
});
