import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import type { EventMasking } from './event-masking.js';
import { lockExport } from './export-lock.js';
import {
  advanceManifest,
  loadManifest,
  removeUncommitted,
  type ExportManifest,
  type ExportScope,
} from './manifest.js';
import { groupByPartition, partFileName, utcDay, type ExportRow } from './partitions.js';

/** Writes one complete Parquet file (the DuckDB adapter in src/stores/analytics). */
export interface PartWriter {
  writePart(file: string, rows: readonly ExportRow[]): Promise<void>;
}

export interface ParquetExportOptions {
  /** The telemetry store's change feed: any adapter of the port. */
  readonly feed: Pick<TelemetryStore, 'eventsAfter'>;
  readonly out: string;
  readonly scope: ExportScope;
  readonly writer: PartWriter;
  readonly masking: EventMasking;
  readonly run: string;
  readonly now: () => Date;
  /** Events read before their part files are written and the cursor moves (default 100,000). */
  readonly chunkEvents?: number;
  /** Events per change-feed read (default 5,000). */
  readonly pageEvents?: number;
  /** Called after each chunk is committed. */
  readonly onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  readonly events: number;
  readonly rows: number;
  readonly files: number;
  readonly lastSeq: number;
}

export interface ParquetExportResult extends ExportProgress {
  readonly afterSeq: number;
  /** Rows written per partition directory (`store=S/day=D`). */
  readonly partitions: ReadonlyMap<string, number>;
  /** Files a run that stopped part-way had left, removed before this one started. */
  readonly removedUncommitted: number;
  readonly manifest: ExportManifest;
}

function inScope(scope: ExportScope, storeId: string, deviceTime: number): boolean {
  if (scope.store !== null && storeId !== scope.store) return false;
  if (scope.from === null && scope.to === null) return true;
  const day = utcDay(deviceTime);
  return (scope.from === null || day >= scope.from) && (scope.to === null || day <= scope.to);
}

/**
 * Exports the telemetry store's change feed after the manifest's cursor to Parquet, one file per
 * partition per chunk. Each file is written under a temporary name and renamed into place; the
 * cursor moves only after every file of the chunk is in place, and a run first removes files a
 * stopped run renamed but never counted. So a row is written exactly once, whatever stops it.
 */
export async function exportParquet(options: ParquetExportOptions): Promise<ParquetExportResult> {
  const { out } = options;
  await mkdir(out, { recursive: true });
  const release = await lockExport(out);
  try {
    return await exportLocked(options);
  } finally {
    await release();
  }
}

async function exportLocked(options: ParquetExportOptions): Promise<ParquetExportResult> {
  const { out, scope, feed, writer, masking } = options;
  const chunkEvents = options.chunkEvents ?? 100_000;
  const pageEvents = Math.min(options.pageEvents ?? 5_000, chunkEvents);
  let manifest = await loadManifest(out, scope);
  const removedUncommitted = await removeUncommitted(out, manifest.lastSeq);
  const afterSeq = manifest.lastSeq;
  const partitions = new Map<string, number>();
  let cursor = manifest.lastSeq;
  let events = 0;
  let rows = 0;
  let files = 0;
  for (;;) {
    const chunk: ExportRow[] = [];
    let chunkEventsRead = 0;
    let firstSeq = 0;
    let lastSeq = cursor;
    let drained = false;
    while (chunkEventsRead < chunkEvents) {
      const page = await feed.eventsAfter(
        lastSeq,
        Math.min(pageEvents, chunkEvents - chunkEventsRead),
      );
      for (const event of page) {
        if (firstSeq === 0) firstSeq = event.seq;
        lastSeq = event.seq;
        if (inScope(scope, event.storeId, event.deviceTime)) chunk.push(await masking.row(event));
      }
      chunkEventsRead += page.length;
      if (page.length === 0) {
        drained = true;
        break;
      }
    }
    // Nothing new: nothing is written, not even the manifest.
    if (chunkEventsRead === 0) break;
    const groups = groupByPartition(chunk);
    const name = partFileName(firstSeq, lastSeq);
    for (const [dir, group] of groups) {
      const folder = join(out, dir);
      await mkdir(folder, { recursive: true });
      const temp = join(folder, `.${name}.tmp`);
      await writer.writePart(temp, group);
      await rename(temp, join(folder, name));
      partitions.set(dir, (partitions.get(dir) ?? 0) + group.length);
    }
    manifest = await advanceManifest(out, manifest, {
      run: options.run,
      finishedAt: options.now().toISOString(),
      afterSeq: cursor,
      lastSeq,
      rows: chunk.length,
      files: groups.size,
    });
    cursor = lastSeq;
    events += chunkEventsRead;
    rows += chunk.length;
    files += groups.size;
    options.onProgress?.({ events, rows, files, lastSeq });
    if (drained) break;
  }
  return {
    events,
    rows,
    files,
    lastSeq: cursor,
    afterSeq,
    partitions,
    removedUncommitted,
    manifest,
  };
}
