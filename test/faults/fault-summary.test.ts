import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunnerArgs, RunnerUsageError, summaryTable } from './fault-summary.js';
import type { FaultReport } from './scenario.js';

const KNOWN = ['sigkill-ingest', 'disk-full'];

const report = (over: Partial<FaultReport> = {}): FaultReport => ({
  scenario: 'sigkill-ingest',
  fault: 'SIGKILL twice',
  acknowledged: 10,
  stored: 10,
  lost: 0,
  duplicated: 0,
  checks: [{ what: 'all acknowledged', ok: true }],
  figures: {},
  durationMs: 1,
  ...over,
});

describe('the fault runner', () => {
  it('runs every scenario at full scale into fault-reports/ by default', () => {
    assert.deepEqual(parseRunnerArgs([], KNOWN), {
      scale: 'full',
      outDir: 'fault-reports',
      keep: false,
    });
  });

  it('takes --only, --quick, --out and --keep', () => {
    assert.deepEqual(
      parseRunnerArgs(
        ['--only', 'disk-full,sigkill-ingest', '--quick', '--out', 'r', '--keep'],
        KNOWN,
      ),
      { only: ['disk-full', 'sigkill-ingest'], scale: 'quick', outDir: 'r', keep: true },
    );
  });

  it('refuses an unknown flag, a missing value and an unknown scenario with a reason', () => {
    assert.throws(() => parseRunnerArgs(['--fast'], KNOWN), /unknown argument '--fast'/);
    assert.throws(() => parseRunnerArgs(['--out'], KNOWN), /--out needs a value/);
    assert.throws(
      () => parseRunnerArgs(['--only', 'nope'], KNOWN),
      (e: unknown) => e instanceof RunnerUsageError && /no scenario named 'nope'/.test(e.message),
    );
  });

  it('tabulates each report, marks a failure and lists a skipped scenario with its reason', () => {
    const table = summaryTable([
      { report: report() },
      {
        report: report({
          scenario: 'disk-full',
          lost: 1,
          checks: [{ what: 'resumed', ok: false }],
        }),
      },
      { scenario: 'pg-restart', skipped: 'no PostgreSQL' },
    ]).split('\n');
    assert.equal(table.length, 5);
    assert.match(
      table[0]!,
      /\| scenario \| fault \| acknowledged \| stored \| lost \| duplicated \| checks \| pass \|/,
    );
    assert.match(
      table[2]!,
      /^\| sigkill-ingest \| SIGKILL twice \| 10 \| 10 \| 0 \| 0 \| 1\/1 \| yes \|$/,
    );
    assert.match(table[3]!, /\| 1 \| 0 \| 0\/1 \(failed: resumed\) \| NO \|$/);
    assert.match(table[4]!, /^\| pg-restart \| skipped: no PostgreSQL \|.*\| skipped \|$/);
  });
});
