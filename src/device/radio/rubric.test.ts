import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankRadios, scoreRadio, type RadioScore, type RubricInput } from './rubric.js';

const order = (ranked: readonly RadioScore[]) =>
  ranked.map((r) => `${r.radio}${r.qualified ? '' : ' (out)'}`);
const judgement = (s: RadioScore, criterion: string) => {
  const found = s.judgements.find((x) => x.criterion === criterion);
  assert.ok(found, criterion);
  return found;
};

describe('the wireless rubric', () => {
  it('picks Wi-Fi first and LTE-M second for the cart, as the PRD did', () => {
    // PRD: in-store, ~10 kbit/s sustained per cart, radio always on, a pack charged at the dock
    // every day ("wall-equivalent" as the rubric says of the power tool's battery).
    const ranked = rankRadios({
      dutyCycle: 1,
      payloadBytes: 1250,
      intervalS: 1,
      rangeM: 60,
      mobility: 'site',
      power: 'wall',
    });
    assert.deepEqual(order(ranked), ['wifi', 'lte-m', 'ble', 'lora (out)']);
    const lora = ranked.find((r) => r.radio === 'lora')!;
    assert.equal(judgement(lora, 'cadence').points, null);
    assert.match(judgement(lora, 'cadence').reason, /more than its 5.47 kbit\/s/);
  });

  it("picks LoRa for the power tool's 200 m job-site gateway on an $8 radio budget", () => {
    const ranked = rankRadios({
      dutyCycle: 0.001,
      payloadBytes: 100,
      intervalS: 600,
      rangeM: 200,
      mobility: 'site',
      power: 'wall',
      bomUsd: 8,
    });
    assert.equal(ranked[0]!.radio, 'lora');
    assert.deepEqual(
      ranked.filter((r) => r.qualified).map((r) => r.radio),
      ['lora'],
    );
    const ble = ranked.find((r) => r.radio === 'ble')!;
    assert.match(judgement(ble, 'range').reason, /past BLE's ~100 m/);
    const lte = ranked.find((r) => r.radio === 'lte-m')!;
    assert.match(judgement(lte, 'cost').reason, /cheapest is over the \$8 budget/);
  });

  it('picks BLE alone for the coin-cell tracker, with the reasons the others are out', () => {
    const ranked = rankRadios({
      dutyCycle: 0.001,
      payloadBytes: 31,
      intervalS: 5,
      rangeM: 10,
      mobility: 'roaming',
      power: 'battery',
      bomUsd: 4,
      batteryMah: 225,
    });
    assert.equal(order(ranked)[0], 'ble');
    assert.deepEqual(
      ranked.filter((r) => r.qualified).map((r) => r.radio),
      ['ble'],
    );
    const [ble, lora, wifi, lte] = (['ble', 'lora', 'wifi', 'lte-m'] as const).map((id) =>
      ranked.find((r) => r.radio === id)!,
    );
    assert.match(judgement(lte!, 'cost').reason, /cheapest is over the \$4 budget/);
    // BLE on 0.1 %: 0.001 × 6 mA + 0.999 × 2 µA = 7.998 µA; 225 mAh / 7.998 µA = 28 132 h.
    assert.ok(Math.abs(ble!.averageA - 7.998e-6) < 1e-12, String(ble!.averageA));
    assert.ok(Math.abs(ble!.lifeHours! - 225 / 7.998e-3) < 1e-6);
    assert.match(judgement(lora!, 'cadence').reason, /over the 1 % duty-cycle limit/);
    assert.equal(judgement(wifi!, 'power').points, null);
    assert.equal(judgement(wifi!, 'coverage').points, null);
  });

  it("follows the seed's cadence table for LoRa: hourly fine, per minute marginal, per second out", () => {
    const lora = (intervalS: number, payloadBytes: number) =>
      judgement(
        scoreRadio('lora', {
          dutyCycle: 0.001,
          payloadBytes,
          intervalS,
          rangeM: 2000,
          mobility: 'fixed',
          power: 'battery',
        }),
        'cadence',
      ).points;
    assert.equal(lora(3600, 99), 2);
    // 100 B a minute: (100 + 13) × 8 / 5 470 = 0.165 s, 0.28 % of the minute.
    assert.equal(lora(60, 100), 0);
    // 1 KB a minute: 5 frames, (1000 + 65) × 8 / 5 470 = 1.56 s, 2.6 %.
    assert.equal(lora(60, 1000), null);
    assert.equal(lora(1, 20), null);
  });

  it('raises a radio above the duty cycle given when the cadence needs more airtime', () => {
    const input: RubricInput = {
      dutyCycle: 0.0001,
      payloadBytes: 200,
      intervalS: 10,
      rangeM: 500,
      mobility: 'fixed',
      power: 'battery',
    };
    const lora = scoreRadio('lora', input);
    // (200 + 13) × 8 / 5 470 = 0.3115 s in 10 s: 3.1 % on, well above 0.01 %.
    assert.match(judgement(lora, 'power').reason, /cadence needs more than the duty cycle/);
    assert.ok(lora.averageA > 0.001);
  });

  it('refuses a duty cycle outside (0, 1] and a payload that is not whole bytes', () => {
    const base: RubricInput = {
      dutyCycle: 0.5,
      payloadBytes: 10,
      rangeM: 10,
      mobility: 'fixed',
      power: 'wall',
    };
    assert.throws(() => rankRadios({ ...base, dutyCycle: 1.5 }), RangeError);
    assert.throws(() => rankRadios({ ...base, payloadBytes: 1.5 }), RangeError);
  });
});
