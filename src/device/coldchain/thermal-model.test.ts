import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../random.js';
import { Reefer } from './reefer.js';
import { stepAir, TAU_MIN, type ReeferConditions } from './thermal-model.js';

const MIN = 60_000;
const base: ReeferConditions = {
  ambientC: 30,
  ambientHumidityPct: 60,
  setPointC: 4,
  doorOpen: false,
  reeferFailed: false,
};

describe('cargo thermal model', () => {
  it('holds the set point while the reefer runs with the door shut', () => {
    const air = stepAir({ temperatureC: 4, humidityPct: 90 }, base, 8 * 60 * MIN);
    assert.equal(air.temperatureC, 4);
    assert.equal(air.humidityPct, 90);
  });

  it('covers 63 % of the gap to the outside air in one door-open time constant', () => {
    const air = stepAir(
      { temperatureC: 4, humidityPct: 90 },
      { ...base, doorOpen: true },
      TAU_MIN.doorOpen * MIN,
    );
    assert.ok(Math.abs(air.temperatureC - (30 - 26 / Math.E)) < 1e-9, String(air.temperatureC));
  });

  it('warms a box whose unit failed far slower than an open door does', () => {
    const failed = stepAir(
      { temperatureC: 4, humidityPct: 90 },
      { ...base, reeferFailed: true },
      30 * MIN,
    );
    const open = stepAir(
      { temperatureC: 4, humidityPct: 90 },
      { ...base, doorOpen: true },
      30 * MIN,
    );
    assert.ok(failed.temperatureC > 4 && failed.temperatureC < 7, String(failed.temperatureC));
    assert.ok(open.temperatureC > 25, String(open.temperatureC));
  });

  it('gives the same air in two steps as in one (the exact solution composes)', () => {
    const c = { ...base, doorOpen: true };
    const once = stepAir({ temperatureC: 4, humidityPct: 90 }, c, 20 * MIN);
    const twice = stepAir(stepAir({ temperatureC: 4, humidityPct: 90 }, c, 7 * MIN), c, 13 * MIN);
    assert.ok(Math.abs(once.temperatureC - twice.temperatureC) < 1e-9);
    assert.ok(Math.abs(once.humidityPct - twice.humidityPct) < 1e-9);
  });

  it('pulls back down to the set point after the door closes', () => {
    const start = Date.parse('2026-07-01T12:00:00Z');
    const reefer = new Reefer({ start, setPointC: 4, ambientMeanC: 28 });
    reefer.setDoor(true, start + 10 * MIN);
    reefer.setDoor(false, start + 25 * MIN);
    const warm = reefer.airAt(start + 25 * MIN).temperatureC;
    const later = reefer.airAt(start + 25 * MIN + 3 * 60 * MIN).temperatureC;
    assert.ok(warm > 15, `door open 15 minutes: ${warm}`);
    assert.ok(Math.abs(later - 4) < 0.1, `three hours after closing: ${later}`);
  });

  it('reports a knock once, then road vibration', () => {
    const reefer = new Reefer({ start: 0, setPointC: -18, ambientMeanC: 10 });
    const random = mulberry32(3);
    reefer.shock(4.5);
    assert.equal(reefer.takeShockG(random), 4.5);
    const next = reefer.takeShockG(random);
    assert.ok(next >= 0.02 && next < 0.3, String(next));
  });
});
