import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  averageCurrentA,
  Battery,
  CURRENT_A,
  expectedDrawAh,
  expectedPct,
  openCircuitMv,
  SHIFT_PROFILE,
} from './power.js';

const HOUR = 3_600_000;

describe('power model', () => {
  it('draws 4.8 Ah over the 12-hour shift profile, 0.4 A on average, leaving 38.5 %', () => {
    const ms = SHIFT_PROFILE.reduce((s, p) => s + p.durationMs, 0);
    assert.equal(ms, 12 * HOUR);
    assert.ok(Math.abs(averageCurrentA(SHIFT_PROFILE) - 0.4) < 1e-9);
    assert.ok(Math.abs(expectedDrawAh(SHIFT_PROFILE) - 4.8) < 1e-9);
    assert.equal(Math.round(expectedPct(SHIFT_PROFILE) * 10) / 10, 38.5);
  });

  it('sleeps at the PRD figure of 0.1 A and charges at the dock', () => {
    assert.equal(CURRENT_A['deep-sleep'], 0.1);
    assert.equal(expectedDrawAh([{ state: 'charging', durationMs: HOUR }]), -2);
    assert.equal(expectedPct([{ state: 'charging', durationMs: HOUR }], 100), 100, 'clamped');
  });

  it('maps charge to the open-circuit voltage between the 6.4 V cutoff and 8.4 V full', () => {
    assert.equal(openCircuitMv(0), 6400);
    assert.equal(openCircuitMv(100), 8400);
    assert.equal(openCircuitMv(45), 7600);
    assert.ok(openCircuitMv(20) < openCircuitMv(21));
  });

  it('integrates simulated durations and bursts to what the pure model says', () => {
    const t0 = 1_000_000;
    const battery = new Battery(t0);
    battery.setState('shopping', t0);
    battery.burst('scan-burst', 500, t0 + 60_000);
    battery.setState('idle', t0 + HOUR);
    battery.setState('deep-sleep', t0 + 2 * HOUR);
    const pct = battery.pct(t0 + 3 * HOUR);
    const model = expectedPct([
      { state: 'shopping', durationMs: HOUR - 500 },
      { state: 'scan-burst', durationMs: 500 },
      { state: 'idle', durationMs: HOUR },
      { state: 'deep-sleep', durationMs: HOUR },
    ]);
    assert.ok(Math.abs(pct - model) < 1e-9, `${pct} vs ${model}`);
    assert.ok(Math.abs(expectedPct(battery.log) - pct) < 1e-9, 'its own log replays to the same');
  });

  it('says how long until a threshold at the current draw', () => {
    const battery = new Battery(0, 11);
    battery.setState('shopping', 0);
    const ms = battery.msUntil(10, 0);
    // 1 % of 7.8 Ah at 0.6 A is 0.13 h.
    assert.ok(Math.abs(ms - 0.13 * HOUR) < 1);
    battery.setState('charging', 0);
    assert.equal(battery.msUntil(10, 0), Infinity);
  });
});
