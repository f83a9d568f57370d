import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needEngine } from '../../test-support/engines.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { offlineWorkRestart } from './offline-work-restart.scenario.js';
import { passed, type FaultScenario } from './scenario.js';
import { sigkillRollout } from './sigkill-rollout.scenario.js';

// The domain fault scenarios of issue 20 at quick scale: each SIGKILLs a platform child process
// and must report nothing lost, nothing duplicated and every check held.
describe('domain fault scenarios (quick)', () => {
  for (const scenario of [offlineWorkRestart, sigkillRollout] satisfies FaultScenario[]) {
    it(`${scenario.name}: ${scenario.title}`, async (t) => {
      const why = await scenario.unavailable();
      if (!needEngine(t, why === undefined, why ?? '')) return;
      const workDir = await tempDir(t, `fault-${scenario.name}-`);
      const report = await scenario.run({ workDir, log: () => undefined, scale: 'quick' });
      assert.ok(passed(report), JSON.stringify(report, null, 2));
      assert.ok(report.acknowledged > 0, 'the scenario crossed the fault with work in flight');
    });
  }
});
