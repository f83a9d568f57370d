import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { TestClock } from '../../../test-support/identity.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { main } from '../main.js';
import { allCommands } from '../commands.js';
import { maskCommands } from './index.js';

const RUBRIC = new URL('../../../examples/tool-telemetry.rubric.yaml', import.meta.url).pathname;

async function maskCli(t: TestContext) {
  const data = await caDataDir(t);
  const work = await tempDir(t);
  const clock = new TestClock(new Date('2026-05-10T12:00:00Z'));
  const commands = maskCommands({ now: clock.now, interactive: false });
  const run = async (...argv: string[]) => {
    const io = capture();
    const code = await main(argv, io, commands);
    return { code, io, text: io.text() };
  };
  return { data, work, clock, run };
}

describe('fleetplane mask', () => {
  it('is part of the fleetplane CLI', () => {
    const paths = allCommands.map((c) => c.path.join(' '));
    for (const p of [
      'mask',
      'mask verify',
      'mask report',
      'mask remask',
      'mask synth',
      'mask detokenize',
      'mask salt status',
      'mask salt rotate',
    ]) {
      assert.ok(paths.includes(p), p);
    }
  });

  it('synthesises, masks and verifies the example dataset, with a summary', async (t) => {
    const { data, work, run } = await maskCli(t);
    const raw = join(work, 'raw.csv');
    const out = join(work, 'masked.csv');
    assert.equal((await run('mask', 'synth', '--rows', '300', '--out', raw)).code, 0);
    const masked = await run(
      'mask',
      '--rubric',
      RUBRIC,
      '--domain',
      'tool-telemetry',
      '--in',
      raw,
      '--out',
      out,
      '--data',
      data,
    );
    assert.equal(masked.code, 0, masked.text);
    assert.match(
      masked.text,
      /^Masked 300 rows from raw\.csv to masked\.csv \(rubric tool-telemetry@1, domain tool-telemetry, salt 2026q2-1/m,
    );
    assert.match(masked.text, /direct-identifier\s+2\s+tool_serial, operator_email/);
    assert.match(masked.text, /behavioral\s+3\s+battery_pct, torque_nm, usage_minutes/);
    assert.match(masked.text, /findings in free text: .*PERSON \d+/);
    const verified = await run('mask', 'verify', '--rubric', RUBRIC, '--in', out);
    assert.equal(verified.code, 0, verified.text);
    assert.match(verified.text, /verify: OK, 300 rows/);
  });

  it('exits 1 naming the drift when verify finds any, never printing the value', async (t) => {
    const { data, work, run } = await maskCli(t);
    const raw = join(work, 'raw.csv');
    const out = join(work, 'masked.csv');
    await run('mask', 'synth', '--rows', '20', '--out', raw);
    await run(
      'mask',
      '--rubric',
      RUBRIC,
      '--domain',
      'tool-telemetry',
      '--in',
      raw,
      '--out',
      out,
      '--data',
      data,
    );
    const lines = (await readFile(out, 'utf8')).split('\n');
    const email = (await readFile(raw, 'utf8')).split('\n')[1]!.split(',')[3]!;
    const cells = lines[1]!.split(',');
    cells[3] = email;
    lines[1] = cells.join(',');
    await writeFile(out, lines.join('\n'));
    const verified = await run('mask', 'verify', '--rubric', RUBRIC, '--in', out);
    assert.equal(verified.code, 1);
    assert.match(verified.text, /verify: DRIFT .*raw-value 1/);
    assert.match(verified.text, /line 2 column operator_email: raw-value/);
    assert.ok(!verified.text.includes(email));
  });

  it('fails closed on an unknown column with exit 1 and the column named', async (t) => {
    const { data, work, run } = await maskCli(t);
    const raw = join(work, 'raw.csv');
    await writeFile(raw, 'tool_serial,home_phone\nTL-1,555-0100\n');
    const r = await run(
      'mask',
      '--rubric',
      RUBRIC,
      '--domain',
      'tool-telemetry',
      '--in',
      raw,
      '--out',
      join(work, 'o.csv'),
      '--data',
      data,
    );
    assert.equal(r.code, 1);
    assert.match(r.text, /does not name 'home_phone'.*\[unknown-column\]/);
  });

  it('exits 2 with usage for a missing or bad flag', async (t) => {
    const { run } = await maskCli(t);
    const missing = await run('mask', '--rubric', RUBRIC, '--in', 'x.csv', '--out', 'y.csv');
    assert.equal(missing.code, 2);
    assert.match(missing.text, /--domain is required[\s\S]*usage: fleetplane mask --rubric FILE/);
    assert.equal((await run('mask', 'synth', '--rows', 'many', '--out', 'x.csv')).code, 2);
    assert.equal(
      (await run('mask', 'verify', '--rubric', RUBRIC, '--in', 'x.csv', '--colour', 'red')).code,
      2,
    );
    assert.equal(
      (await run('mask', 'verify', '--rubric', RUBRIC, '--in', 'x.csv', '--format', 'xml')).code,
      2,
    );
  });

  it('writes the kept-columns report with the reasons from the rubric', async (t) => {
    const { work, run } = await maskCli(t);
    const out = join(work, 'kept_columns.md');
    assert.equal((await run('mask', 'report', '--rubric', RUBRIC, '--out', out)).code, 0);
    const report = await readFile(out, 'utf8');
    assert.match(report, /\| `torque_nm` \| Applied torque is the product's core quality signal/);
  });

  it('detokenizes only with a reason and says where the audit record is', async (t) => {
    const { data, work, run } = await maskCli(t);
    const raw = join(work, 'raw.csv');
    await writeFile(raw, 'operator_name\nAroha Ngata\n');
    const rubric = join(work, 'r.yaml');
    await writeFile(
      rubric,
      'rubric: r\nversion: 1\ncolumns:\n  operator_name: { bucket: quasi-identifier, treatment: token }\n',
    );
    const out = join(work, 'o.csv');
    assert.equal(
      (
        await run(
          'mask',
          '--rubric',
          rubric,
          '--domain',
          'crm',
          '--in',
          raw,
          '--out',
          out,
          '--data',
          data,
        )
      ).code,
      0,
    );
    const token = (await readFile(out, 'utf8')).split('\n')[1]!.split(',')[0]!;
    assert.equal(
      (await run('mask', 'detokenize', '--domain', 'crm', '--token', token, '--data', data)).code,
      2,
    );
    const found = await run(
      'mask',
      'detokenize',
      '--domain',
      'crm',
      '--token',
      token,
      '--reason',
      'DSAR-7',
      '--data',
      data,
    );
    assert.equal(found.code, 0);
    assert.deepEqual(found.io.stdout, ['Aroha Ngata']);
    assert.match(found.io.stderr.join('\n'), /audited: .*privacy\/audit\/detokenize\//);
  });

  it('shows salt status and rotates on request', async (t) => {
    const { data, run, clock } = await maskCli(t);
    await run('mask', 'salt', 'rotate', '--data', data);
    clock.advanceDays(1);
    const status = await run('mask', 'salt', 'status', '--data', data);
    assert.match(status.text, /2026q2-1 .*usable until 2026-06-09/);
    assert.match(status.text, /2026q2-2 .*current/);
  });
});
