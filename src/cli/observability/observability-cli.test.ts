import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { observabilityFiles } from '../../surfaces/observability-export/export-files.js';
import { DEFAULT_EXPORT_OPTIONS } from '../../surfaces/observability-export/prometheus-rules.js';
import { main } from '../main.js';
import { observabilityCommands } from './index.js';

const run = async (...argv: string[]) => {
  const io = capture();
  const code = await main(argv, io, observabilityCommands());
  return { code, io };
};

describe('fleetplane observability export', () => {
  it('writes the rules file and the three dashboards under --out, for the --job given', async (t) => {
    const out = join(await tempDir(t), 'nested', 'observability');
    const { code, io } = await run('observability', 'export', '--out', out, '--job', 'fleet-eu');
    assert.equal(code, 0, io.text());
    const expected = observabilityFiles({ ...DEFAULT_EXPORT_OPTIONS, job: 'fleet-eu' });
    assert.deepEqual([...expected.keys()].sort(), [
      'grafana/fleet-health.json',
      'grafana/ingest.json',
      'grafana/ota.json',
      'prometheus/fleetplane-alerts.yml',
    ]);
    for (const [path, content] of expected)
      assert.equal(await readFile(join(out, path), 'utf8'), content, path);
    assert.match(
      await readFile(join(out, 'prometheus/fleetplane-alerts.yml'), 'utf8'),
      /up\{job="fleet-eu"\} == 0/,
    );
    assert.equal(io.stdout.length, 4, 'one line per file written');
  });

  it('answers a bad invocation with exit 2 and the usage line', async () => {
    for (const argv of [
      ['observability', 'export'],
      ['observability', 'export', '--out', '/tmp/x', '--dir', 'y'],
      ['observability', 'export', '--out', '/tmp/x', '--job', 'a b"'],
    ]) {
      const { code, io } = await run(...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(
        io.stderr.join('\n'),
        /usage: fleetplane observability export --out DIR \[--job NAME\]/,
      );
    }
  });
});
