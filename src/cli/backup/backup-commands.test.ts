import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { runCli } from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { main } from '../main.js';
import { backupCommands } from './index.js';

async function fleetplane(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, backupCommands());
  return { code, text: io.text() };
}

describe('fleetplane backup and restore on the command line', () => {
  it('answers a bad flag with exit 2, what is wrong and the usage', async (t) => {
    const data = join(await tempDir(t), 'data');
    await runCli('ca', 'init', '--data', data);
    const out = join(data, '..', 'b.tar.gz');
    for (const [argv, says] of [
      [
        ['backup', '--data', data, '--out', out, '--region', 'mars'],
        /--region must be one of us, eu/,
      ],
      [
        ['backup', '--data', data, '--out', out, '--sets', 'core,vault-mars'],
        /--sets takes a comma list/,
      ],
      [
        ['backup', '--data', data, '--out', out, '--region', 'eu', '--sets', 'keys'],
        /--region or --sets/,
      ],
      [['backup', '--data', data], /--out is required/],
      [['restore', '--data', data], /--from is required/],
    ] as const) {
      const run = await fleetplane(...argv);
      assert.equal(run.code, 2, run.text);
      assert.match(run.text, says);
      assert.match(run.text, new RegExp(`usage: fleetplane ${argv[0]}`));
    }
  });

  it('restores into a directory that does not exist yet, and refuses a file that is not a backup with exit 1', async (t) => {
    const work = await tempDir(t);
    const data = join(work, 'data');
    await runCli('ca', 'init', '--data', data);
    const out = join(work, 'b.tar.gz');
    const backup = await fleetplane('backup', '--data', data, '--out', out);
    assert.equal(backup.code, 0, backup.text);
    assert.match(backup.text, /platform stopped/);
    const restored = await fleetplane('restore', '--from', out, '--data', join(work, 'new'));
    assert.equal(restored.code, 0, restored.text);
    const bogus = await fleetplane(
      'restore',
      '--from',
      join(data, 'ca', 'trust-bundle.pem'),
      '--data',
      join(work, 'other'),
    );
    assert.equal(bogus.code, 1, bogus.text);
    assert.match(bogus.text, /damaged/);
  });
});
