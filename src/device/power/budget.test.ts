import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Battery } from '../cart/power.js';
import { powerBudget } from './budget.js';
import { SHIFT_PROFILE } from './cart-pack.js';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);

describe('power budget: the cart on its PRD figures', () => {
  it('averages the PRD 0.4 A over the shift hour and lasts the 12-hour shift on the 7800 mAh pack', () => {
    const b = powerBudget({ device: 'cart' });
    // The PRD quotes one decimal: "0.4A average across a shift".
    assert.equal(Math.round(b.averageA * 10) / 10, 0.4);
    assert.equal(b.cell.capacityAh, 7.8);
    // 7.8 Ah / 0.4 A = 19.5 h; 12 h × 0.4 A = 4.8 Ah, leaving 3.0 of 7.8 Ah = 38.5 %.
    close(b.lifeHours, 19.5, 1e-9, 'life on a full pack');
    assert.ok(b.shift);
    close(b.shift.drawAh, 4.8, 1e-9, 'shift draw');
    assert.equal(Math.round(b.shift.leftPct * 10) / 10, 38.5);
    assert.equal(b.shift.lasts, true);
    close(b.shift.spareHours, 7.5, 1e-9, 'spare hours');
    // The PRD hour: 26 of 60 minutes shopping (reads included).
    close(b.activeShare, 26 / 60, 1e-12, 'duty cycle');
  });

  it("leaves what the cart's own Battery has left after driving the shift through its states", () => {
    // The simulator's fuel gauge integrates state changes; the calculator averages: same model.
    const battery = new Battery(0);
    let now = 0;
    for (const segment of SHIFT_PROFILE) {
      battery.setState(segment.state, now);
      now += segment.durationMs;
    }
    const b = powerBudget({ device: 'cart' });
    close(battery.pct(now), b.shift!.leftPct, 1e-9, 'left after the shift');
  });

  it('gives the same answer when the PRD duty cycle is passed explicitly', () => {
    const explicit = powerBudget({ device: 'cart', activeShare: 26 / 60 });
    close(explicit.averageA, 0.4, 1e-12, 'average');
  });

  it('still just lasts the shift with a customer every minute of it', () => {
    // All shopping: (25.5 × 0.6 A + 0.5 × 1.8 A) / 26 = 16.2 / 26 = 0.6231 A; 7.8 / 0.6231 = 12.52 h.
    const b = powerBudget({ device: 'cart', activeShare: 1 });
    close(b.averageA, 16.2 / 26, 1e-12, 'average');
    close(b.lifeHours, 12.5185, 1e-4, 'life');
    assert.equal(b.shift?.lasts, true);
  });

  it('says a 4000 mAh pack falls short of the shift', () => {
    // 4.0 Ah / 0.4 A = 10 h: two hours short.
    const b = powerBudget({ device: 'cart', batteryMah: 4000 });
    close(b.lifeHours, 10, 1e-9, 'life');
    assert.equal(b.shift?.lasts, false);
    close(b.shift?.spareHours ?? 0, -2, 1e-9, 'short by');
    assert.equal(b.shift?.leftPct, 0);
  });

  it('breaks the draw down by state, adding up to the whole', () => {
    const b = powerBudget({ device: 'cart' });
    assert.deepEqual(
      b.lines.map((l) => l.load),
      ['shopping', 'scan-burst', 'idle', 'deep-sleep'],
    );
    close(
      b.lines.reduce((s, l) => s + l.shareOfDraw, 0),
      1,
      1e-12,
      'shares',
    );
    // Shopping: 0.6 A × 25.5 min = 0.255 Ah of the hour's 0.4 Ah.
    close(b.lines[0]!.ahPerPeriod, 0.255, 1e-12, 'shopping Ah');
  });
});

describe('power budget: the cold-chain sensor on its cell', () => {
  it('lasts about 1.21 years on the Saft LS 26500 reading every five minutes', () => {
    // By hand, from decision 045's figures:
    //   reports a day      86 400 / 300 = 288, each 0.01 + 180 = 180.01 mA·s → 51 842.88 mA·s
    //   attach             1 × 300 mA·s                                     →    300.00 mA·s
    //   average            52 142.88 mA·s / 86 400 s = 0.603506 mA, + 0.005 mA asleep = 0.608506 mA
    //   self-discharge     7 700 mAh × 1 % / 8 766 h = 0.008784 mA
    //   usable             7 700 mAh × 0.85 = 6 545 mAh
    //   life               6 545 / (0.608506 + 0.008784) = 10 602.8 h = 1.2095 years
    const b = powerBudget({ device: 'coldchain' });
    assert.equal(b.intervalS, 300);
    close(b.averageA * 1000, 0.608506, 1e-6, 'average mA');
    close(b.lifeHours, 10_602.8, 0.1, 'life hours');
    close(b.lifeYears, 1.2095, 1e-4, 'life years');
    assert.equal(b.shift, null);
  });

  it('lasts about eleven years reporting hourly', () => {
    // 24 × 180.01 + 300 = 4 620.24 mA·s a day → 0.053475 mA, + 0.005 = 0.058475 mA;
    // 6 545 / (0.058475 + 0.008784) = 97 310 h = 11.10 years.
    const b = powerBudget({ device: 'coldchain', intervalS: 3600 });
    close(b.averageA * 1000, 0.058475, 1e-6, 'average mA');
    close(b.lifeYears, 11.101, 1e-3, 'life years');
  });

  it('scales with the cell: half the capacity, a bit more than half the life', () => {
    // Self-discharge scales with the cell too, so the ratio is exactly 0.5 only when it is nil.
    const full = powerBudget({ device: 'coldchain' });
    const half = powerBudget({ device: 'coldchain', batteryMah: 3850 });
    const ratio = half.lifeHours / full.lifeHours;
    assert.ok(ratio > 0.5 && ratio < 0.51, String(ratio));
  });

  it('refuses a capacity that is not positive', () => {
    assert.throws(() => powerBudget({ device: 'coldchain', batteryMah: 0 }), RangeError);
  });
});
