import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRuleSet } from './compiled-rules.js';
import { RuleEvaluator, type JudgedMessage } from './rule-evaluator.js';
import type { RuleSet } from './rule-schema.js';

const coldchain: RuleSet = {
  profile: 'coldchain',
  rules: [
    {
      id: 'excursion',
      severity: 'critical',
      type: 'coldchain-telemetry',
      when: {
        any: [
          { field: 'temperature_c', above: 8 },
          { field: 'temperature_c', below: 2 },
        ],
      },
      consecutive: 2,
    },
    {
      id: 'battery-low',
      severity: 'warning',
      type: 'coldchain-telemetry',
      when: { field: 'battery_pct', below: 15 },
      clearWhen: { field: 'battery_pct', atLeast: 20 },
    },
  ],
};

let counter = 0;
function reading(deviceId: string, temperature_c: number, battery_pct = 80): JudgedMessage {
  counter++;
  return {
    deviceId,
    storeId: 'dc-1',
    deviceClass: 'coldchain',
    type: 'coldchain-telemetry',
    at: counter * 60_000,
    counter,
    body: { temperature_c, battery_pct, humidity_pct: 50, shock_g: 0 },
  };
}

function run(evaluator: RuleEvaluator, messages: JudgedMessage[]): string[] {
  return messages.flatMap((m) =>
    evaluator.judge(m).map((t) => `${t.change} ${t.ruleId} ${t.deviceId} @${t.counter}`),
  );
}

describe('rule evaluator', () => {
  it('fires an excursion on the second consecutive reading out of range, once, and clears it back in range', () => {
    counter = 0;
    const evaluator = new RuleEvaluator([compileRuleSet(coldchain)]);
    const changes = run(evaluator, [
      reading('s-1', 5),
      reading('s-1', 9), // one reading out: not yet
      reading('s-1', 5), // back in: the run restarts
      reading('s-1', 9),
      reading('s-1', 10), // second in a row: fires
      reading('s-1', 11), // still out: nothing new
      reading('s-1', 1), // too cold is out of range too: still firing
      reading('s-1', 4), // in range: clears
    ]);
    assert.deepEqual(changes, ['fire excursion s-1 @5', 'clear excursion s-1 @8']);
  });

  it('keeps each device apart, and keeps a low battery firing until it is back above the hysteresis', () => {
    counter = 0;
    const evaluator = new RuleEvaluator([compileRuleSet(coldchain)]);
    const changes = run(evaluator, [
      reading('s-1', 5, 14),
      reading('s-2', 9),
      reading('s-1', 5, 17), // above 15 but below 20: still low
      reading('s-2', 9), // s-2's second: fires for s-2 only
      reading('s-1', 5, 21),
    ]);
    assert.deepEqual(changes, [
      'fire battery-low s-1 @1',
      'fire excursion s-2 @4',
      'clear battery-low s-1 @5',
    ]);
    assert.equal(evaluator.firingCount, 1);
  });

  it('reports the values of the fields the rule reads, and ignores other classes and message types', () => {
    counter = 0;
    const evaluator = new RuleEvaluator([compileRuleSet(coldchain)]);
    const [fire] = evaluator.judge(reading('s-1', 5, 10));
    assert.deepEqual(fire?.values, { battery_pct: 10 });
    const cart = { ...reading('c-1', 5, 1), deviceClass: 'cart' as const };
    assert.deepEqual(evaluator.judge(cart), []);
    const health = { ...reading('s-1', 5, 1), type: 'health' as const };
    assert.deepEqual(evaluator.judge(health), []);
  });

  it('never fires on a missing field or a value that is not a number', () => {
    counter = 0;
    const evaluator = new RuleEvaluator([compileRuleSet(coldchain)]);
    const gap = { ...reading('s-1', 5), body: { temperature_c: '99', humidity_pct: 1 } };
    assert.deepEqual(run(evaluator, [gap, gap, gap]), []);
  });
});
