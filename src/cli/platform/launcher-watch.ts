import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Resolves when the process that launched this one ends, so that `start` and `demo` stop with it
 * instead of holding their ports and the data directory's lock as orphans (issue 16).
 *
 * `npx fleetplane start` runs npm, which runs `sh -c 'fleetplane' start …`, which runs node. On
 * SIGINT or SIGTERM npm forwards the signal to the shell and exits; dash does not hand it on to
 * its child (nor exec it), so the platform is reparented and nothing tells it. And `kill -9` of
 * npm forwards nothing at all. So this watches the direct parent, and, when an npm runner started
 * us (npm sets npm_lifecycle_event), the shells above us and the npm process above them.
 * On Linux it reads /proc; elsewhere it watches only the direct parent (process.ppid).
 */
export function launcherGone(options: { readonly pollMs?: number } = {}): {
  readonly gone: Promise<string>;
  stop(): void;
} {
  const watched = atStart;
  let timer: NodeJS.Timeout | undefined;
  const gone = new Promise<string>((resolve) => {
    timer = setInterval(() => {
      const ended = watched.find((launcher) => !launcher.alive());
      if (ended) {
        clearInterval(timer);
        resolve(`the process that started fleetplane (${ended.name}, pid ${ended.pid}) ended`);
      }
    }, options.pollMs ?? 1000);
    timer.unref();
  });
  return { gone, stop: () => clearInterval(timer) };
}

interface Launcher {
  readonly pid: number;
  readonly name: string;
  alive(): boolean;
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'ksh']);

/** Taken when the CLI loads: a launcher that ends during a slow start still counts. */
const atStart = launchers();

function launchers(): Launcher[] {
  const initialParent = process.ppid;
  const parent = procStat(initialParent);
  if (!parent) {
    // No /proc: the parent is gone when we are handed to another one.
    return [{ pid: initialParent, name: 'parent', alive: () => process.ppid === initialParent }];
  }
  const watched: Launcher[] = [watch(initialParent, parent)];
  if (process.env['npm_lifecycle_event'] === undefined) return watched;
  // Under an npm runner: the shells npm interposes, and npm itself above them.
  let current = parent;
  while (SHELLS.has(basename(current.comm)) && current.ppid > 1) {
    const above = procStat(current.ppid);
    if (!above) break;
    watched.push(watch(current.ppid, above));
    current = above;
  }
  return watched;
}

function watch(pid: number, seen: ProcStat): Launcher {
  return {
    pid,
    name: seen.comm,
    alive: () => {
      const now = procStat(pid);
      // Same start time: not another process that was given the pid since.
      return now !== undefined && now.state !== 'Z' && now.startTime === seen.startTime;
    },
  };
}

interface ProcStat {
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly startTime: string;
}

/** Fields of /proc/PID/stat (proc(5)); the command name is in parentheses and may hold spaces. */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const [state, ppid, startTime] = [rest[0], rest[1], rest[19]];
  if (open < 0 || state === undefined || ppid === undefined || startTime === undefined)
    return undefined;
  return { comm: text.slice(open + 1, close), state, ppid: Number(ppid), startTime };
}
