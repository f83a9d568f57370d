// The engine and clock fault scenarios of issue 20 at quick scale: each must report nothing
// acknowledged lost, nothing stored twice, and every check held.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { needEngine } from '../../test-support/engines.js';
import { passed, type FaultScenario } from './scenario.js';
import { clockJump } from './clock-jump.scenario.js';
import { mosquittoRestart } from './mosquitto-restart.scenario.js';
import { postgresRestart } from './postgres-restart.scenario.js';
import { storeOfflineHour } from './store-offline-hour.scenario.js';

async function runQuick(t: TestContext, scenario: FaultScenario): Promise<void> {
  const why = await scenario.unavailable();
  if (!needEngine(t, why === undefined, `${scenario.name}: ${why}`)) return;
  const workDir = await mkdtemp(join(tmpdir(), `fault-${scenario.name}-`));
  try {
    const lines: string[] = [];
    const report = await scenario.run({ workDir, scale: 'quick', log: (l) => lines.push(l) });
    t.diagnostic(lines.join(' | '));
    t.diagnostic(
      `${report.scenario}: acknowledged ${report.acknowledged}, stored ${report.stored}, lost ${report.lost}, duplicated ${report.duplicated}; ${JSON.stringify(report.figures)}`,
    );
    assert.ok(passed(report), JSON.stringify(report, null, 2));
    assert.ok(report.acknowledged > 0, 'the scenario put load across the fault');
    assert.equal(report.stored, report.acknowledged);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

describe('engine and clock fault scenarios (quick)', () => {
  it('a clock jump forward and back expires commands by their expiry, once, and stores telemetry once', (t) =>
    runQuick(t, clockJump));

  it('a store offline for an hour loses and duplicates nothing, replaying in order', (t) =>
    runQuick(t, storeOfflineHour));

  it('PostgreSQL restarted under load: the entity store holds every acknowledged event once', (t) =>
    runQuick(t, postgresRestart));

  // Not yet passing (decision 050): after a SIGTERM restart the platform still misses part of
  // what Mosquitto acknowledged. The scenario runs and reports; its failure does not fail CI.
  it(
    'Mosquitto restarted under QoS 1 load: what it acknowledged reaches the platform once',
    { todo: 'acknowledged messages still lost across the restart; see decision 050' },
    (t) => runQuick(t, mosquittoRestart),
  );
});
