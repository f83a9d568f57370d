import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { RUBRIC_V1, maskingFixture } from '../../../../test-support/masking.js';
import { isFailure } from '../../../shared/failure.js';
import { runRemask } from './remask.js';
import { parseRubric } from './rubric/index.js';
import { verifyMasked } from './verify.js';

// Version 2 learns that site codes identify one-person sites (hash them), that a coarser grid
// is enough, and that ages should not leave at all.
const RUBRIC_V2 = RUBRIC_V1.replace('version: 1', 'version: 2')
  .replace(
    'site_code: { bucket: behavioral, treatment: keep, reason: "site-level utilisation reports" }',
    'site_code: { bucket: direct-identifier, treatment: hmac }',
  )
  .replace('step: 0.01', 'step: 0.1')
  .replace(
    'age: { bucket: sensitive, treatment: bin, width: 5 }',
    'age: { bucket: sensitive, treatment: drop, reason: "no analysis uses it any more" }',
  );

describe('mask remask', () => {
  it('re-applies a newer rubric to masked output and the result verifies against it', async (t) => {
    const f = await maskingFixture(t);
    const first = await f.mask();
    const v2 = parseRubric(RUBRIC_V2, 'v2.rubric.yaml');
    const output = join(f.work, 'v2.csv');
    const record = await runRemask({
      ...baseOptions(f),
      rubric: v2,
      input: join(f.work, 'out.csv'),
      output,
    });
    assert.deepEqual(record.remaskedFrom, { run: first.run, rubricVersion: 1 });
    const actions = Object.fromEntries(record.columns.map((c) => [c.column, c.action]));
    assert.equal(actions['site_code'], 're-treated');
    assert.equal(actions['gps_lat'], 're-treated');
    assert.equal(actions['age'], 'dropped');
    assert.equal(actions['tool_serial'], 'unchanged');
    const before = parse(await readFile(join(f.work, 'out.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const rows = parse(await readFile(output, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    assert.match(rows[0]!['site_code']!, /^[0-9a-f]{64}$/);
    assert.equal(rows[0]!['gps_lat'], '51.5');
    assert.equal(rows[0]!['age'], undefined);
    assert.equal(rows[0]!['tool_serial'], before[0]!['tool_serial']);
    assert.match(rows[0]!['_mask']!, /rubric=test-telemetry@2;/);
    const verified = await verifyMasked({ rubric: v2, input: output });
    assert.deepEqual(verified.counts, {});
  });

  it('refuses to remask without the decision record of the run that produced the input', async (t) => {
    const f = await maskingFixture(t);
    await assert.rejects(
      runRemask({
        ...baseOptions(f),
        rubric: parseRubric(RUBRIC_V2),
        input: f.input,
        output: join(f.work, 'x.csv'),
      }),
      (e: unknown) => isFailure(e) && e.code === 'missing-decision-record',
    );
  });
});

function baseOptions(f: Awaited<ReturnType<typeof maskingFixture>>) {
  return { domain: 'tool-telemetry', keys: f.keys, dataDir: f.data, now: f.clock.now };
}
