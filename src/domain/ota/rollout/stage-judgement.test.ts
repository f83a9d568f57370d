import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rolloutRecord } from './ports.contract.js';
import { judgeStage } from './stage-judgement.js';

const quiet = { target: { events: 0, deviceHours: 0.1 }, others: { events: 0, deviceHours: 5 } };

describe('a broken build halts on its rollbacks', () => {
  const rollout = rolloutRecord();
  const at = rollout.healthFrom + 60_000;

  it('halts at once when most devices that installed it fell back, with no exposure yet', () => {
    const { outcome, rollout: halted } = judgeStage(rollout, quiet, at, [], {
      kept: 1,
      rolledBack: 3,
    });
    assert.equal(outcome, 'halted');
    assert.equal(halted.haltReason, 'boot rollbacks: 3 of 4 devices that installed it rolled back');
  });

  it('waits below the minimum count and at a minority of rollbacks', () => {
    assert.equal(judgeStage(rollout, quiet, at, [], { kept: 0, rolledBack: 2 }).outcome, 'held');
    assert.equal(judgeStage(rollout, quiet, at, [], { kept: 7, rolledBack: 3 }).outcome, 'held');
  });
});
