import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RetentionLastRun } from '../domain/retention/retention-control.js';
import type { Logger } from '../shared/observability/logger.js';
import { writeFileAtomic } from '../stores/data-dir/atomic-file.js';

/**
 * How the last retention run went, kept in one small file under the data directory
 * (`DIR/retention/last-run.json`) so a restart neither forgets it nor runs the job again the same
 * day. Read once at start; a file that is not a last run is reported and ignored: the job then
 * runs at its first check, which is what it would do with no file.
 */
export function readLastRun(file: string, log: Logger): RetentionLastRun | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    log.warn({ err: error, file }, 'could not read the last retention run; it runs at start');
    return null;
  }
  const run = parseLastRun(text);
  if (!run) log.warn({ file }, 'the last retention run file is not one; ignored, it runs at start');
  return run;
}

export function parseLastRun(text: string): RetentionLastRun | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const run = value as Record<string, unknown>;
  if (typeof run['at'] !== 'string' || Number.isNaN(Date.parse(run['at']))) return null;
  // The console sums the report's lines: a report without them is not one.
  const report = run['report'] as { lines?: unknown } | null | undefined;
  if (run['outcome'] === 'ok' && typeof report === 'object' && Array.isArray(report?.lines)) {
    return value as RetentionLastRun;
  }
  if (run['outcome'] === 'failed' && typeof run['error'] === 'string') {
    return value as RetentionLastRun;
  }
  return null;
}

/** Writes the run whole or not at all; a failure is logged, never fails the run it describes. */
export async function keepLastRun(file: string, run: RetentionLastRun, log: Logger): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(run)}\n`);
  } catch (error) {
    log.warn({ err: error, file }, 'could not keep the last retention run');
  }
}
