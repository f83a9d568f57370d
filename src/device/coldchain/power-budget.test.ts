import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  averageCurrentUa,
  batteryPct,
  COLDCHAIN_POWER,
  estimatedLifeYears,
  usableChargeMas,
} from './power-budget.js';

describe('cold-chain power budget', () => {
  it('lasts longer the less often the sensor reports, and never beyond what self-discharge allows', () => {
    const intervals = [60, 300, 900, 3600, 86_400];
    const lives = intervals.map((s) => estimatedLifeYears(COLDCHAIN_POWER, s));
    for (let i = 1; i < lives.length; i++) assert.ok(lives[i]! > lives[i - 1]!, lives.join(', '));
    const bound = COLDCHAIN_POWER.usableFraction / COLDCHAIN_POWER.selfDischargePerYear;
    assert.ok(lives.at(-1)! < bound, `${lives.at(-1)} < ${bound}`);
  });

  it('is dominated by the radio at five minutes: each report costs more than a day asleep', () => {
    const p = COLDCHAIN_POWER;
    const sleepPerDayMas = (p.sleepUa / 1000) * 86_400;
    assert.ok(p.reportMas > sleepPerDayMas / 10);
    // 288 reports a day at 180 mA·s each: about 600 µA on average.
    const avg = averageCurrentUa(p, 300);
    assert.ok(avg > 500 && avg < 700, String(avg));
    const years = estimatedLifeYears(p, 300);
    assert.ok(years > 1 && years < 1.5, String(years));
  });

  it('shows the fuel gauge in whole percent from full to empty', () => {
    const full = usableChargeMas(COLDCHAIN_POWER);
    assert.equal(batteryPct(COLDCHAIN_POWER, 0), 100);
    assert.equal(batteryPct(COLDCHAIN_POWER, full * 0.5), 50);
    assert.equal(batteryPct(COLDCHAIN_POWER, full * 1.2), 0);
  });
});
