import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken } from '../../../test-support/api-client.js';
import { capture } from '../../../test-support/cli.js';
import { fleetDataDir, startTestPlatform } from '../../../test-support/platform.js';
import type { RetentionReport } from '../../domain/retention/retention-job.js';
import { main } from '../main.js';
import { retentionCommands } from './index.js';

async function retention(...argv: string[]) {
  const io = capture();
  const code = await main(['retention', ...argv], io, retentionCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

// Retention on a running platform: the CLI goes through the API instead of refusing, the API says
// how the last run went, and who may read or run it.
describe('retention while the platform runs', () => {
  it('plans and runs through the API, reports the last run, and keeps --now for a stopped platform', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);

    const before = await apiRequest(platform, 'GET', '/v1/retention');
    assert.equal(before.status, 200, JSON.stringify(before.body));
    const policy = before.body['policy'] as { rule: string; keepMonths: number }[];
    assert.deepEqual(
      policy.map((p) => [p.rule, p.keepMonths]),
      [
        ['telemetry-raw', 18],
        ['telemetry-aggregates', 60],
        ['account-data', 84],
        ['audit', 84],
      ],
    );
    assert.equal(before.body['last'], null, 'no run yet: the first daily check is a minute in');

    const plan = await retention('plan', '--data', data);
    assert.equal(plan.code, 0, plan.err);
    assert.match(plan.out, /^Retention plan at .* \(dry run: nothing changed/);
    assert.match(plan.out, /Nothing is due\./);

    const run = await retention('run', '--data', data, '--json');
    assert.equal(run.code, 0, run.err);
    const report = JSON.parse(run.out) as RetentionReport;
    assert.equal(report.applied, true);
    assert.ok(report.lines.every((l) => l.count === 0));

    const after = await apiRequest(platform, 'GET', '/v1/retention');
    const last = after.body['last'] as { outcome: string; at: string; report: RetentionReport };
    assert.equal(last.outcome, 'ok');
    assert.equal(last.report.now, report.now);
    assert.equal(
      Date.parse(after.body['nextRunAfter'] as string) - Date.parse(last.at),
      86_400_000,
      'the daily check runs it again a day later',
    );

    const refused = await retention('plan', '--data', data, '--now', '2030-01-01T00:00:00Z');
    assert.equal(refused.code, 2);
    assert.match(
      refused.err,
      /--now is for a stopped platform: the running one plans retention at its own clock/,
    );

    const staff = await apiToken(platform, 'staff', 'berlin-1');
    const privacy = await apiToken(platform, 'privacy');
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/retention', { token: staff })).status,
      403,
    );
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/retention/plan', { token: privacy })).status,
      200,
    );
    assert.equal(
      (await apiRequest(platform, 'POST', '/v1/retention/run', { token: privacy })).status,
      403,
    );

    // Stopped again, the same command opens the stores itself and takes --now.
    await platform.stop();
    const later = await retention('plan', '--data', data, '--now', '2030-01-01T00:00:00Z');
    assert.equal(later.code, 0, later.err);
    assert.match(later.out, /^Retention plan at 2030-01-01T00:00:00.000Z/);
  });
});
