import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Every process descended from `pid`, deepest first (Linux and macOS: `pgrep -P`). */
export function descendants(pid: number): number[] {
  const ran = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  if (ran.error) return [];
  const children = ran.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((child) => Number.isInteger(child) && child > 0);
  return children.flatMap((child) => [...descendants(child), child]);
}

/**
 * tsx compiles the test files through an esbuild service it runs as a child of the test process.
 * That child belongs to the runner, not to a scenario, and killing it would fail the next import.
 */
function isTransformService(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return (
      argv.some((arg) => /(^|\/)esbuild$/.test(arg)) &&
      argv.some((arg) => arg.startsWith('--service'))
    );
  } catch {
    return false; // Not Linux, or gone already: nothing to spare.
  }
}

/**
 * SIGKILLs whatever this test process started and left running, and says which. A scenario that
 * timed out leaves its platform child (and its pipes) open, which would keep the test file's
 * process alive and hang the suite behind it.
 */
export function reapChildren(): number[] {
  const left = descendants(process.pid).filter(
    (pid) => pid !== process.pid && !isTransformService(pid),
  );
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  return left;
}
