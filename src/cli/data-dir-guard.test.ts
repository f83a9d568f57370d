import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../test-support/cli.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { allCommands } from './commands.js';
import { createsDataDir } from './data-dir-guard.js';
import { main } from './main.js';

const takingData = allCommands.filter((c) => 'data' in c.options && !createsDataDir(c));

/** The command with --data DIR and every other required flag given some value. */
function argv(path: readonly string[], required: readonly string[], data: string): string[] {
  const rest = required.filter((name) => name !== 'data').flatMap((name) => [`--${name}`, 'x']);
  return [...path, '--data', data, ...rest];
}

describe('commands that take --data refuse a directory ca init, start or demo did not make', () => {
  it('covers every such command of the CLI', () => {
    const names = takingData.map((c) => c.path.join(' '));
    for (const expected of ['token', 'store add', 'provision', 'sim', 'mask', 'dlq list'])
      assert.ok(names.includes(expected), `${expected} takes --data`);
  });

  for (const command of takingData) {
    const name = command.path.join(' ');
    it(`${name}: a missing directory is named, exit 1, and not created`, async (t) => {
      const missing = join(await tempDir(t), 'fleet-dta');
      const io = capture();
      const code = await main(argv(command.path, command.required ?? [], missing), io);
      assert.equal(code, 1, io.text());
      assert.match(
        io.text(),
        new RegExp(`no data directory at ${missing}; create one with 'fleetplane ca init`),
      );
      assert.equal(io.stderr.length, 1, 'one sentence');
      assert.equal(existsSync(missing), false, 'nothing was created');
    });

    it(`${name}: an existing directory without a fleet CA is refused and left empty`, async (t) => {
      const empty = await tempDir(t);
      const io = capture();
      const code = await main(argv(command.path, command.required ?? [], empty), io);
      assert.equal(code, 1, io.text());
      assert.match(io.text(), /is not a fleetplane data directory \(no fleet CA in it\)/);
      assert.deepEqual(await readdir(empty), []);
    });
  }

  it('ca init still makes a new data directory', async (t) => {
    const fresh = join(await tempDir(t), 'fleet-data');
    const io = capture();
    assert.equal(await main(['ca', 'init', '--data', fresh], io), 0, io.text());
    assert.ok(existsSync(join(fresh, 'ca', 'trust-bundle.pem')));
  });
});
