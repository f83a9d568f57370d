import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

/** npm's own script, to run it on this test's Node (CI runs the unit tests on Node 22 and 24). */
function npmCli(): string {
  const found = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return realpathSync(found);
}

/** What `npm ci` would do with our manifest, lockfile and .npmrc on this Node (issue 16). */
function dryRunInstall(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetplane-install-'));
  try {
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
      copyFileSync(join(root, file), join(dir, file));
    }
    const npm = spawnSync(
      process.execPath,
      [
        npmCli(),
        'ci',
        '--dry-run',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=warn',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } },
    );
    assert.equal(npm.status, 0, npm.stderr);
    return npm.stdout + npm.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('installing on a supported Node line', () => {
  it('warns about no package engine, and installs better-sqlite3 13 exactly where it is loaded', () => {
    const output = dryRunInstall();
    assert.doesNotMatch(output, /EBADENGINE/);
    // The dry run lists what it would add: better-sqlite3 13 (the alias) on Node 22 and later,
    // where src/stores/data-dir/sqlite-driver.ts loads it, and not on Node 20.
    assert.equal(/^add better-sqlite3-napi 13\./m.test(output), major >= 22, output);
  });
});
