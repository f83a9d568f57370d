import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/fleetplane.js', import.meta.url));
const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });

describe('the installed fleetplane command (bin/fleetplane.js over dist/)', () => {
  it('answers --help with the command list, and --version', (t) => {
    if (!built && !process.env['FLEETPLANE_REQUIRE_ENGINES'])
      return t.skip('dist/ not built: run npm run build');
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: fleetplane <command>/);
    assert.match(run('--version').stdout, /^fleetplane \d+\.\d+\.\d+/);
  });

  it('runs as an executable through its shebang, whose V8 flag node accepts', (t) => {
    if (!built && !process.env['FLEETPLANE_REQUIRE_ENGINES'])
      return t.skip('dist/ not built: run npm run build');
    // `env -S node --max-semi-space-size=64`: the kernel and env, not node, read this line.
    const direct = spawnSync(bin, ['--version'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` },
    });
    assert.equal(direct.status, 0, direct.stderr);
    assert.match(direct.stdout, /^fleetplane \d+\.\d+\.\d+/);
  });

  it('exits 2 with a hint on a bad command, with no stack trace', (t) => {
    if (!built && !process.env['FLEETPLANE_REQUIRE_ENGINES'])
      return t.skip('dist/ not built: run npm run build');
    const bad = run('provison');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown command/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});
