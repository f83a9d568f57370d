import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Failure } from '../../shared/failure.js';

export class ExportBusyFailure extends Failure<'export-running'> {}

const LOCK = '.export.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One export at a time per directory: two would both start after the same cursor and write the
 * same rows. The lock names its process; a lock whose process is gone (a killed run) is taken
 * over, so a crash never needs a hand to clean up. Returns the release.
 */
export async function lockExport(out: string): Promise<() => Promise<void>> {
  const file = join(out, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(await readFile(file, 'utf8').catch(() => ''));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new ExportBusyFailure(
          'export-running',
          `another export (process ${pid}) is writing ${out}; wait for it, or remove ${file} if it is not running`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new ExportBusyFailure('export-running', `could not lock ${out}: remove ${file}`);
}
