import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Failure } from '../../shared/failure.js';
import { corruptFile, readJsonFile, writeJsonFileAtomic } from '../../stores/data-dir/index.js';
import { partFirstSeq } from './partitions.js';

export class ExportScopeFailure extends Failure<'export-scope-changed'> {}

/** What an export directory was made with, and how far into the change feed it has got. */
export interface ExportScope {
  readonly store: string | null;
  /** Device days, inclusive, YYYY-MM-DD. */
  readonly from: string | null;
  readonly to: string | null;
}

export interface ExportRun {
  readonly run: string;
  readonly finishedAt: string;
  readonly afterSeq: number;
  readonly lastSeq: number;
  readonly rows: number;
  readonly files: number;
}

export interface ExportManifest {
  readonly format: 'fleetplane-parquet-export/1';
  readonly scope: ExportScope;
  /** Every event with seq at or below this was considered: written, or outside the scope. */
  readonly lastSeq: number;
  readonly rows: number;
  readonly files: number;
  /** The latest runs, newest last (at most RUNS_KEPT). */
  readonly runs: readonly ExportRun[];
}

export const MANIFEST_FILE = '_export.json';
const RUNS_KEPT = 100;

export function manifestPath(out: string): string {
  return join(out, MANIFEST_FILE);
}

/**
 * The manifest of `out`, or a fresh one for `scope`. A directory keeps the scope it was first
 * exported with: a run with another store or day range would leave gaps the cursor cannot see.
 */
export async function loadManifest(out: string, scope: ExportScope): Promise<ExportManifest> {
  const file = manifestPath(out);
  const found = (await readJsonFile(file)) as ExportManifest | undefined;
  if (found === undefined) {
    return {
      format: 'fleetplane-parquet-export/1',
      scope,
      lastSeq: 0,
      rows: 0,
      files: 0,
      runs: [],
    };
  }
  if (found.format !== 'fleetplane-parquet-export/1' || typeof found.lastSeq !== 'number') {
    throw corruptFile(file, 'not a fleetplane-parquet-export/1 manifest');
  }
  const same =
    found.scope.store === scope.store &&
    found.scope.from === scope.from &&
    found.scope.to === scope.to;
  if (!same) {
    throw new ExportScopeFailure(
      'export-scope-changed',
      `${out} was exported with ${describeScope(found.scope)}, not ${describeScope(scope)}; run with the same options, or export to a new --out directory`,
    );
  }
  return found;
}

export function describeScope(scope: ExportScope): string {
  const parts = [
    scope.store ? `--store ${scope.store}` : 'every store',
    scope.from ? `--from ${scope.from}` : '',
    scope.to ? `--to ${scope.to}` : '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}

/** Records a finished chunk: its files are in place before the cursor moves past them. */
export async function advanceManifest(
  out: string,
  manifest: ExportManifest,
  run: ExportRun,
): Promise<ExportManifest> {
  const last = manifest.runs.at(-1);
  // One run writes several chunks: they fold into one entry.
  const merged =
    last?.run === run.run
      ? {
          ...run,
          afterSeq: last.afterSeq,
          rows: last.rows + run.rows,
          files: last.files + run.files,
        }
      : run;
  const runs = [...manifest.runs.filter((r) => r.run !== run.run), merged].slice(-RUNS_KEPT);
  const next: ExportManifest = {
    ...manifest,
    lastSeq: run.lastSeq,
    rows: manifest.rows + run.rows,
    files: manifest.files + run.files,
    runs,
  };
  await writeJsonFileAtomic(manifestPath(out), next);
  return next;
}

/**
 * Removes what a run that stopped part-way left: temporary files, and part files whose chunk
 * starts past the manifest's cursor (renamed into place, but the cursor never moved over them,
 * so the next run writes those rows again). Returns how many files it removed.
 */
export async function removeUncommitted(out: string, lastSeq: number): Promise<number> {
  let entries;
  try {
    entries = await readdir(out, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const first = partFirstSeq(entry.name);
    const stale = entry.name.endsWith('.parquet.tmp') || (first !== undefined && first > lastSeq);
    if (stale) {
      await rm(join(entry.parentPath, entry.name), { force: true });
      removed++;
    }
  }
  return removed;
}
