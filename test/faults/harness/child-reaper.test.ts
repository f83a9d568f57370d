import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { it } from 'node:test';
import { descendants, reapChildren } from './child-reaper.js';

/**
 * A SIGKILLed process leaves the process table when the kernel has torn it down and its parent
 * has reaped it, which on a loaded machine is not the instant the child's exit event fires for
 * its orphaned grandchild. So the test waits (a bounded while) for what it killed to be gone.
 */
async function stillDescended(from: number[], withinMs: number): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = descendants(process.pid).filter((pid) => from.includes(pid));
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function describeProcesses(pids: number[]): string {
  const ps = spawnSync('ps', ['-o', 'pid,ppid,stat,comm', '-p', pids.join(',')], {
    encoding: 'utf8',
  });
  return ps.stdout || String(ps.error);
}

it('kills what the test process started and left running, grandchildren too', async () => {
  const child = spawn('bash', ['-c', 'sleep 300 & wait'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  // Only what this test started: the test process may have children of its own (tsx's esbuild).
  const before = [...descendants(child.pid!), child.pid!];
  assert.ok(descendants(process.pid).includes(child.pid!), 'the child is seen');
  assert.ok(before.length >= 2, `and its sleep (${before.join(',')})`);
  const exited = once(child, 'exit');
  const reaped = reapChildren();
  assert.ok(reaped.includes(child.pid!));
  await exited;
  const left = await stillDescended(before, 5_000);
  assert.deepEqual(left, [], `still descended after 5 s:\n${describeProcesses(left)}`);
});

it("spares tsx's esbuild service, which is the test runner's child and not a scenario's", async (t) => {
  // A stand-in with the service's command line: the real one is only there while tsx compiles.
  const service = spawn(
    process.execPath,
    ['-e', 'setInterval(() => {}, 1000)', 'esbuild', '--service=0.0.0'],
    {
      stdio: 'ignore',
    },
  );
  t.after(() => service.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 200));
  const reaped = reapChildren();
  assert.ok(!reaped.includes(service.pid!), `reaped ${reaped.join(',')}`);
  assert.equal(service.exitCode, null);
  assert.ok(descendants(process.pid).includes(service.pid!));
});
