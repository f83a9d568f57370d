import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RetentionStores } from '../domain/retention/retention-job.js';
import { PlatformMetrics } from '../shared/observability/metrics.js';
import { silentLogger } from '../shared/observability/logger.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { parseLastRun } from './retention-last-run.js';
import { scheduleRetention } from './retention-wiring.js';

const DAY = 86_400_000;

/** Waits for `ready` (timers on a loaded machine fire late, so no fixed sleep is trusted). */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 5) {
    if (waited > 10_000) throw new Error('timed out');
    await sleep(5);
  }
}

/** Stores that are empty but for `folded` telemetry events a run; counts the runs. */
function fakeStores(fail: () => boolean) {
  const runs: number[] = [];
  /** Runs that got past the telemetry fold, as a finished run does. */
  const succeeded: number[] = [];
  const stores: RetentionStores = {
    telemetry: {
      retentionDue: async () => ({ rawEvents: 0, aggregateDays: 0 }),
      foldBefore: async (before) => {
        runs.push(before);
        if (fail()) throw new Error('disk full (injected)');
        succeeded.push(before);
        return { folded: 3, alreadyFolded: 0 };
      },
      dropAggregatesBefore: async () => 0,
    },
    entities: {
      accountDataDue: async () => ({ sessions: 0, receipts: 0, accounts: 0 }),
      listExpiredSessions: async () => [],
      deleteSessions: async () => 0,
      listExpiredAccounts: async () => [],
      deleteAccounts: async () => 0,
    },
    vaults: new Map(),
    audit: {
      pruneDue: async () => ({ records: 0, through: 0 }),
      prune: async () => ({ records: 0, through: 0 }),
      append: async () => {
        throw new Error('nothing to audit here');
      },
    },
    blobs: { delete: async () => false },
  };
  return { stores, runs, succeeded };
}

describe('the platform’s retention schedule', () => {
  it('runs soon after start, then once a day however often it checks, and counts on /metrics', async () => {
    let clock = Date.parse('2028-06-01T00:00:00Z');
    const { stores, runs } = fakeStores(() => false);
    const metrics = new PlatformMetrics();
    const job = scheduleRetention({
      ...{ stores, log: silentLogger(), metrics, now: () => clock },
      ...{ firstAfterMs: 5, checkEveryMs: 10 },
    });
    try {
      await until(() => runs.length > 0);
      await sleep(50);
      assert.equal(runs.length, 1, 'the first check ran it; later checks the same day did not');
      assert.equal(runs[0], Date.parse('2026-12-01T00:00:00Z'), 'the policy’s 18-month cutoff');
      clock += DAY;
      await until(() => runs.length > 1);
      assert.equal(runs.length, 2, 'a day later it ran again');
      const text = await metrics.registry.metrics();
      assert.match(
        text,
        /fleetplane_retention_items_total\{rule="telemetry-raw",what="telemetry events"\} 6/,
      );
      assert.match(text, /fleetplane_retention_last_run_timestamp_seconds\{outcome="ok"\}/);
    } finally {
      await job.stop();
    }
  });

  it('tries again at the next check after a failed run, and takes --retention-days', async () => {
    let failing = true;
    const { stores, runs, succeeded } = fakeStores(() => failing);
    const metrics = new PlatformMetrics();
    const job = scheduleRetention({
      ...{ stores, log: silentLogger(), metrics, now: () => Date.parse('2028-06-01T12:00:00Z') },
      ...{ firstAfterMs: 5, checkEveryMs: 10, telemetryHotDays: 30 },
    });
    try {
      await until(() => runs.length > 0);
      failing = false;
      // More than one failed run may come before the flag flips (a check every 10 ms).
      await until(() => succeeded.length > 0);
      assert.ok(runs.length > succeeded.length, 'the failed run was tried again');
      assert.equal(succeeded[0], Date.parse('2028-05-02T00:00:00Z'), '30 days back, at midnight');
      const text = await metrics.registry.metrics();
      assert.match(text, /fleetplane_retention_last_run_timestamp_seconds\{outcome="failed"\}/);
      const after = runs.length;
      await sleep(50);
      assert.equal(runs.length, after, 'once it succeeded, not again that day');
      assert.equal(succeeded.length, 1);
    } finally {
      await job.stop();
    }
  });

  it('plans without changing anything, runs on request the same day, and says how the last run went', async () => {
    let failing = false;
    const { stores, runs } = fakeStores(() => failing);
    const clock = Date.parse('2028-06-01T12:00:00Z');
    const job = scheduleRetention({
      ...{ stores, log: silentLogger(), metrics: new PlatformMetrics(), now: () => clock },
      ...{ firstAfterMs: 60_000, checkEveryMs: 60_000 },
    });
    try {
      assert.deepEqual(job.status(), { last: null, nextRunAfter: null });
      const plan = await job.plan();
      assert.equal(plan.applied, false);
      assert.equal(runs.length, 0, 'a plan runs nothing');
      const report = await job.runNow();
      assert.equal(report.applied, true);
      const second = await job.runNow();
      assert.equal(second.applied, true);
      assert.equal(runs.length, 2, 'a requested run does not wait for tomorrow');
      const status = job.status();
      assert.equal(status.last?.outcome, 'ok');
      assert.equal(status.last.at, '2028-06-01T12:00:00.000Z');
      assert.equal(status.nextRunAfter, '2028-06-02T12:00:00.000Z');
      failing = true;
      await assert.rejects(job.runNow(), /disk full/);
      assert.deepEqual(job.status(), {
        last: {
          at: '2028-06-01T12:00:00.000Z',
          outcome: 'failed',
          error: 'Error: disk full (injected)',
        },
        nextRunAfter: null,
      });
    } finally {
      await job.stop();
    }
  });

  it('keeps the last run across a restart: shown after it, and not run again the same day', async (t) => {
    const file = join(await tempDir(t, 'retention-last-'), 'retention', 'last-run.json');
    let clock = Date.parse('2028-06-01T12:00:00Z');
    let failing = false;
    const { stores, runs } = fakeStores(() => failing);
    const start = () =>
      scheduleRetention({
        ...{ stores, log: silentLogger(), metrics: new PlatformMetrics(), now: () => clock },
        ...{ firstAfterMs: 5, checkEveryMs: 10, lastRunFile: file },
      });

    const first = start();
    await until(() => runs.length === 1);
    await first.stop();
    const kept = parseLastRun(await readFile(file, 'utf8'));
    assert.equal(kept?.outcome, 'ok');
    assert.equal(kept.at, '2028-06-01T12:00:00.000Z');

    // Restarted three hours on: the run is there, and the first checks leave it at one.
    clock += 3 * 3_600_000;
    const second = start();
    assert.deepEqual(second.status().last, kept);
    assert.equal(second.status().nextRunAfter, '2028-06-02T12:00:00.000Z');
    await sleep(60);
    assert.equal(runs.length, 1, 'not run again the day it ran');
    await second.stop();

    // A day after the kept run, the first check after start runs it; a failure is kept as well.
    clock += DAY;
    failing = true;
    const third = start();
    await until(() => runs.length > 1);
    await third.stop();
    assert.equal(parseLastRun(await readFile(file, 'utf8'))?.outcome, 'failed');
    // A failed run holds nothing off: the next start runs at its first check.
    failing = false;
    const fourth = start();
    assert.equal(fourth.status().last?.outcome, 'failed');
    await until(() => fourth.status().last?.outcome === 'ok');
    await fourth.stop();
  });

  it('runs at start when the kept run is dated after now (the clock stepped back) or unreadable', async (t) => {
    const file = join(await tempDir(t, 'retention-last-'), 'last-run.json');
    const clock = Date.parse('2028-06-01T12:00:00Z');
    const { stores, runs } = fakeStores(() => false);
    const start = () =>
      scheduleRetention({
        ...{ stores, log: silentLogger(), metrics: new PlatformMetrics(), now: () => clock },
        ...{ firstAfterMs: 5, checkEveryMs: 10, lastRunFile: file },
      });
    const future = { at: '2029-06-01T12:00:00.000Z', outcome: 'ok', report: { lines: [] } };
    await writeFile(file, JSON.stringify(future));
    const stepped = start();
    await until(() => runs.length === 1);
    await stepped.stop();

    await writeFile(file, '{"at": "yesterday"');
    const torn = start();
    assert.equal(torn.status().last, null, 'a file that is not a run is ignored');
    await until(() => runs.length === 2);
    await torn.stop();
  });

  it('reads back only what a last run looks like', () => {
    const ok = { at: '2028-06-01T12:00:00.000Z', outcome: 'ok', report: { lines: [] } };
    const failed = { at: '2028-06-01T12:00:00.000Z', outcome: 'failed', error: 'disk full' };
    assert.deepEqual(parseLastRun(JSON.stringify(ok)), ok);
    assert.deepEqual(parseLastRun(JSON.stringify(failed)), failed);
    for (const bad of [
      '',
      'null',
      '[]',
      '{"at":"2028-06-01T12:00:00Z"}',
      '{"at":"not a date","outcome":"ok","report":{}}',
      '{"at":"2028-06-01T12:00:00Z","outcome":"ok"}',
      '{"at":"2028-06-01T12:00:00Z","outcome":"ok","report":{}}',
      '{"at":"2028-06-01T12:00:00Z","outcome":"failed","error":3}',
      '{"at":"2028-06-01T12:00:00Z","outcome":"skipped","report":{}}',
    ]) {
      assert.equal(parseLastRun(bad), null, bad);
    }
  });
});
