import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { assertPlatformNotRunning, platformLockPath, readPlatformLock } from './platform-lock.js';

/** The pid of a process that has exited, so no live process holds it (barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('readPlatformLock', () => {
  it('returns nothing when no platform ever ran', async (t) => {
    assert.equal(await readPlatformLock(await tempDir(t)), undefined);
  });

  it('returns the lock of a live process', async (t) => {
    const dir = await tempDir(t);
    const lock = { pid: process.pid, apiUrl: 'http://127.0.0.1:8080' };
    await writeFile(platformLockPath(dir), JSON.stringify(lock));
    assert.deepEqual(await readPlatformLock(dir), lock);
  });

  it('ignores a lock left behind by a process that is gone', async (t) => {
    const dir = await tempDir(t);
    await writeFile(platformLockPath(dir), JSON.stringify({ pid: deadPid(), apiUrl: 'http://x' }));
    assert.equal(await readPlatformLock(dir), undefined);
  });

  it('refuses a lock file it cannot read as a lock, naming it', async (t) => {
    const dir = await tempDir(t);
    await writeFile(platformLockPath(dir), '{"pid": "twelve"}');
    await assert.rejects(readPlatformLock(dir), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'corrupt-file');
      assert.match(error.message, /platform\.lock/);
      return true;
    });
  });
});

describe('assertPlatformNotRunning', () => {
  it('says which process runs the platform and where to go instead', async (t) => {
    const dir = await tempDir(t);
    await writeFile(
      platformLockPath(dir),
      JSON.stringify({ pid: process.pid, apiUrl: 'http://127.0.0.1:8080' }),
    );
    await assert.rejects(
      assertPlatformNotRunning(dir, 'import the catalog'),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'platform-running');
        assert.match(error.message, new RegExp(`the platform is running \\(pid ${process.pid}`));
        assert.match(error.message, /import the catalog through it/);
        return true;
      },
    );
  });
});
