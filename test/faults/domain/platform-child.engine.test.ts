// A fault scenario given up (its engine test timed out or was cancelled) must not leave its
// platform child running: the child's pipes would hold the test file open until the runner's
// own timeout, and its ports and data directory would stay taken.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { needEngine } from '../../../test-support/engines.js';
import { runCli } from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { platformUnavailable } from '../harness/scenario-setup.js';
import { startPlatformChild, until } from './platform-child.js';

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('a platform child process', () => {
  it('is SIGKILLed when its run is given up, and refused a start once it is', async (t) => {
    const reason = platformUnavailable();
    if (!needEngine(t, reason === undefined, reason ?? '')) return;
    const dir = await tempDir(t, 'platform-child-');
    const data = join(dir, 'data');
    await runCli('ca', 'init', '--data', data);
    const run = new AbortController();
    const child = await startPlatformChild(data, join(dir, 'platform.log'), {
      signal: run.signal,
    });
    try {
      run.abort();
      await until(() => (gone(child.pid) ? true : undefined), 'the child gone after the abort');
      assert.equal(child.exitCode(), null, 'a signal ended it, not a clean stop');
      await assert.rejects(
        startPlatformChild(data, join(dir, 'platform.log'), { signal: run.signal }),
        { name: 'AbortError' },
      );
    } finally {
      await child.kill();
    }
  });

  it('is killed when its run is given up while it starts', async (t) => {
    const reason = platformUnavailable();
    if (!needEngine(t, reason === undefined, reason ?? '')) return;
    const dir = await tempDir(t, 'platform-child-');
    const data = join(dir, 'data');
    await runCli('ca', 'init', '--data', data);
    // Aborted once the child exists: the start rejects only after the child has exited.
    const run = new AbortController();
    setImmediate(() => run.abort());
    await assert.rejects(
      startPlatformChild(data, join(dir, 'platform.log'), { signal: run.signal }),
      /given up while the platform started/,
    );
  });
});
