// The platform host's clock, jumped forward and back under a running platform: libfaketime
// preloaded into the platform's process reads its offset from a file on every call, so the
// scenario rewrites the file mid-run. Only the real-time clock is faked
// (FAKETIME_DONT_FAKE_MONOTONIC): an NTP step moves CLOCK_REALTIME, never CLOCK_MONOTONIC, and a
// monotonic clock that runs backwards aborts Node ("Assertion failed: (now) >= (timer_base())").
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const LIBRARIES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
];

export function libfaketime(): string | undefined {
  return LIBRARIES.find((path) => existsSync(path));
}

export interface FakedClock {
  /** Environment for the child process whose clock this is. */
  readonly env: NodeJS.ProcessEnv;
  /** The offset now in force, ms (what `Date.now()` in the child is ahead of ours). */
  offsetMs(): number;
  /** Sets the offset from the real clock; the child sees it on its next clock read. */
  jumpTo(offsetMs: number): Promise<void>;
}

export async function fakedClock(workDir: string): Promise<FakedClock> {
  const library = libfaketime();
  if (!library) throw new Error('libfaketime is not installed (apt-get install faketime)');
  const file = join(workDir, 'faketime-offset');
  let offset = 0;
  const write = () => writeFile(file, `${offset >= 0 ? '+' : ''}${offset / 1000}\n`);
  await write();
  return {
    env: {
      LD_PRELOAD: library,
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
    offsetMs: () => offset,
    async jumpTo(offsetMs) {
      offset = offsetMs;
      await write();
    },
  };
}
