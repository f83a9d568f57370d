// A group of fault scenarios at their quick scale, as one test file: each runs a real platform as a
// child process under a load that keeps a ledger of what was acknowledged, and passes only with
// nothing acknowledged lost, nothing stored twice and every check held. `npm run faults` runs the
// same scenarios at full scale with reports. The groups are separate files so they run in parallel.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { reapChildren } from './harness/child-reaper.js';
import { needEngine } from '../../test-support/engines.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { passed, type FaultScenario } from './scenario.js';
import { KNOWN_GAPS } from './scenarios.js';

export function quickSuite(group: string, scenarios: readonly FaultScenario[]): void {
  describe(`${group} fault scenarios (quick)`, () => {
    after(() => {
      const left = reapChildren();
      if (left.length > 0) console.error(`killed processes the scenarios left: ${left.join(', ')}`);
    });
    for (const scenario of scenarios) {
      it(
        `${scenario.name}: ${scenario.title}, nothing acknowledged lost or duplicated`,
        {
          timeout: 240_000,
          ...(KNOWN_GAPS[scenario.name] ? { todo: KNOWN_GAPS[scenario.name] } : {}),
        },
        async (t) => {
          const reason = await scenario.unavailable();
          if (!needEngine(t, reason === undefined, `${scenario.name}: ${reason ?? ''}`)) return;
          const workDir = await tempDir(t, `fault-${scenario.name}-`);
          const report = await scenario.run({
            workDir,
            log: (line) => t.diagnostic(line),
            scale: 'quick',
            signal: t.signal,
          });
          const failed = report.checks
            .filter((c) => !c.ok)
            .map((c) => `${c.what}: ${c.detail ?? ''}`);
          assert.ok(
            passed(report),
            `${report.scenario}: ${report.lost} lost, ${report.duplicated} duplicated of ${report.acknowledged} acknowledged; ${failed.join('; ')}`,
          );
          assert.ok(report.acknowledged > 0, 'the scenario crossed the fault with work in flight');
        },
      );
    }
  });
}
