import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averageCurrentA, cycleDrawAh, lifeHours, stateShare, type DutyCycle } from './charge.js';
import { cartShiftHour, SHIFT_HOUR } from './cart-pack.js';

const HOUR = 3_600_000;

describe('the shared power model', () => {
  it('adds states held for a time and events spent on top', () => {
    // 1 A for 6 min (0.1 Ah) + 0.01 A for 54 min (0.009 Ah) + 10 × 36 A·s (0.1 Ah) = 0.209 Ah an hour.
    const cycle: DutyCycle = {
      periodMs: HOUR,
      states: [
        { state: 'on', currentA: 1, durationMs: 6 * 60_000 },
        { state: 'off', currentA: 0.01, durationMs: 54 * 60_000 },
      ],
      events: [{ event: 'send', chargeAs: 36, count: 10 }],
    };
    assert.ok(Math.abs(cycleDrawAh(cycle) - 0.209) < 1e-12);
    assert.ok(Math.abs(averageCurrentA(cycle) - 0.209) < 1e-12);
    assert.ok(Math.abs(stateShare(cycle, ['on']) - 0.1) < 1e-12);
  });

  it('counts self-discharge against the cell and never ends at no draw without it', () => {
    const cell = { capacityAh: 8.766, usableFraction: 1, selfDischargePerYear: 0.1 };
    // 10 %/year of 8.766 Ah over 8 766 h is 0.1 mA: alone it empties the cell in 10 years.
    assert.ok(Math.abs(lifeHours(cell, 0) - 87_660) < 1e-6);
    assert.equal(lifeHours({ ...cell, selfDischargePerYear: 0 }, 0), Infinity);
  });

  it("rebuilds the cart's PRD hour from its duty cycle", () => {
    const rebuilt = cartShiftHour(26 / 60);
    SHIFT_HOUR.forEach((s, i) => {
      assert.equal(rebuilt[i]!.state, s.state);
      assert.ok(Math.abs(rebuilt[i]!.durationMs - s.durationMs) < 1e-6, s.state);
    });
    assert.throws(() => cartShiftHour(1.5), RangeError);
  });
});
