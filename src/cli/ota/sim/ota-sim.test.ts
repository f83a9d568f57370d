import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture } from '../../../../test-support/cli.js';
import { main } from '../../main.js';
import { otaCommands } from '../index.js';
import { runOtaSim } from './ota-sim.js';

describe('ota sim', () => {
  it('takes a clean rollout through every stage to the whole fleet', async () => {
    const result = await runOtaSim({
      devices: 2000,
      newErrorRate: 0.05,
      oldErrorRate: 0.05,
      rollbackRate: 0.005,
      seed: 1,
    });
    assert.equal(result.halted, false);
    assert.deepEqual(
      result.stages.map((s) => [s.name, s.outcome, s.cohort]),
      [
        ['canary', 'advanced', 10],
        ['early', 'advanced', 20],
        ['10%', 'advanced', 200],
        ['25%', 'advanced', 500],
        ['100%', 'completed', 2000],
      ],
    );
    // Each stage ran at least its configured time (24 h, 72 h, then 24 h each).
    assert.deepEqual(
      result.stages.map(
        (s) => s.simulatedMs >= [24, 72, 24, 24, 24][result.stages.indexOf(s)]! * 3_600_000,
      ),
      [true, true, true, true, true],
    );
    assert.equal(result.updated + result.rolledBack, 2000);
    assert.ok(result.rolledBack > 0, 'some boots crash before mark-good and roll back');
    assert.equal(result.status.totals.rolledBack, result.rolledBack);
  });

  it('halts by itself when the new version errs 4× as often, before the whole fleet has it', async () => {
    const result = await runOtaSim({
      devices: 2000,
      newErrorRate: 0.2,
      oldErrorRate: 0.05,
      rollbackRate: 0,
      seed: 3,
    });
    assert.equal(result.halted, true);
    assert.notEqual(result.haltedAtStage, '100%');
    assert.ok(result.updated < 2000 * 0.25, `${result.updated} updated before the halt`);
    assert.match(result.stages.at(-1)!.detail ?? '', /error-rate regression/);
  });

  it('halts when carts go silent after updating, at the same error rates', async () => {
    const result = await runOtaSim({
      devices: 2000,
      newErrorRate: 0.05,
      oldErrorRate: 0.05,
      rollbackRate: 0,
      silentRate: 0.3,
      seed: 1,
    });
    assert.equal(result.halted, true);
    assert.notEqual(result.haltedAtStage, '100%');
    assert.ok(result.silent > 0);
    assert.match(result.stages.at(-1)!.detail ?? '', /of them devices gone silent/);
  });

  it('prints each stage and ends with one JSON line; a bad flag is a usage error', async () => {
    const io = capture();
    const code = await main(['ota', 'sim', '--devices', '300', '--seed', '2'], io, otaCommands());
    assert.equal(code, 0, io.text());
    const last = JSON.parse(io.stdout.at(-1)!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(last).slice(0, 5), [
      'stages',
      'halted',
      'halted_at_stage',
      'updated',
      'rolled_back',
    ]);
    assert.equal((last['stages'] as unknown[]).length, 5);
    assert.match(io.stdout.join('\n'), /stage canary\s+advanced\s+after\s+24\.0 h simulated/);

    const bad = capture();
    assert.equal(await main(['ota', 'sim', '--devices', 'many'], bad, otaCommands()), 2);
    assert.match(bad.text(), /--devices must be a whole number/);
  });
});
