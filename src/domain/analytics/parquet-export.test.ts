import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { feedOf, feedEvent } from '../../../test-support/feed-events.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';
import type { EventMasking } from './event-masking.js';
import { manifestPath, type ExportManifest, type ExportScope } from './manifest.js';
import { exportParquet, type PartWriter } from './parquet-export.js';
import { partFileName, plainRow, type ExportRow } from './partitions.js';

/** Writes each "part" as JSON rows, so a test reads back exactly what was written where. */
function jsonWriter(failOnCall?: number): PartWriter & { calls: number } {
  return {
    calls: 0,
    async writePart(file: string, rows: readonly ExportRow[]) {
      this.calls++;
      if (this.calls === failOnCall) throw new Error('disk full');
      await writeFile(file, JSON.stringify(rows.map((r) => r.seq)));
    },
  };
}

const plain: EventMasking = {
  row: (e) => Promise.resolve(plainRow(e)),
  masked: 0,
  close: () => Promise.resolve(),
  discard: () => Promise.resolve(),
};

const ALL: ExportScope = { store: null, from: null, to: null };
const DAY1 = Date.parse('2026-03-01T08:00:00Z');
const DAY2 = Date.parse('2026-03-02T08:00:00Z');

function events(from: number, to: number): StoredEvent[] {
  return Array.from({ length: to - from + 1 }, (_, i) => {
    const seq = from + i;
    return feedEvent({ seq, storeId: seq % 2 ? 'a' : 'b', deviceTime: seq % 3 ? DAY1 : DAY2 });
  });
}

/** Seqs written under `out`, per partition directory, in file order. */
async function written(out: string): Promise<Record<string, number[]>> {
  const found: Record<string, number[]> = {};
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isFile() || !e.name.endsWith('.parquet')) continue;
    const dir = e.parentPath.slice(out.length + 1);
    const seqs = JSON.parse(await readFile(join(e.parentPath, e.name), 'utf8')) as number[];
    (found[dir] ??= []).push(...seqs);
  }
  return found;
}

const allSeqs = (w: Record<string, number[]>) =>
  Object.values(w)
    .flat()
    .sort((a, b) => a - b);

function run(out: string, store: StoredEvent[], writer: PartWriter, scope = ALL) {
  return exportParquet({
    feed: feedOf(store),
    out,
    scope,
    writer,
    masking: plain,
    run: 'r1',
    now: () => new Date('2026-03-03T00:00:00Z'),
    chunkEvents: 4,
    pageEvents: 3,
  });
}

describe('Parquet export, incremental', () => {
  it('writes each partition per chunk and every event exactly once', async (t) => {
    const out = await tempDir(t);
    const result = await run(out, events(1, 10), jsonWriter());
    assert.equal(result.rows, 10);
    assert.equal(result.lastSeq, 10);
    const w = await written(out);
    assert.deepEqual(allSeqs(w), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(w['store=a/day=2026-03-02'], [3, 9]);
    const manifest = JSON.parse(await readFile(manifestPath(out), 'utf8')) as ExportManifest;
    assert.equal(manifest.lastSeq, 10);
    assert.equal(manifest.rows, 10);
  });

  it('writes nothing, not even the manifest, when nothing is new; then only the new events', async (t) => {
    const out = await tempDir(t);
    const store = events(1, 6);
    await run(out, store, jsonWriter());
    const before = await readFile(manifestPath(out), 'utf8');
    const again = await run(out, store, jsonWriter());
    assert.equal(again.events, 0);
    assert.equal(again.files, 0);
    assert.equal(await readFile(manifestPath(out), 'utf8'), before);

    store.push(...events(7, 9));
    const third = await run(out, store, jsonWriter());
    assert.equal(third.rows, 3);
    assert.equal(third.afterSeq, 6);
    assert.deepEqual(allSeqs(await written(out)), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('after a failure mid-run, counts only whole chunks and the next run neither loses nor repeats a row', async (t) => {
    const out = await tempDir(t);
    const store = events(1, 12);
    // Chunk 1 (seq 1-4) writes 3 partitions; the 5th part file (chunk 2) fails.
    await assert.rejects(run(out, store, jsonWriter(5)), /disk full/);
    const manifest = JSON.parse(await readFile(manifestPath(out), 'utf8')) as ExportManifest;
    assert.equal(manifest.lastSeq, 4, 'the cursor stops after the last whole chunk');
    const half = await written(out);
    assert.ok(
      allSeqs(half).some((s) => s > 4),
      'chunk 2 had renamed a file before failing',
    );

    const resumed = await run(out, store, jsonWriter());
    assert.equal(resumed.removedUncommitted, 1);
    assert.deepEqual(allSeqs(await written(out)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('removes temporary files and part files past the cursor left by a run that was killed', async (t) => {
    const out = await tempDir(t);
    await run(out, events(1, 4), jsonWriter());
    const dir = join(out, 'store=a/day=2026-03-01');
    await writeFile(join(dir, `.${partFileName(5, 8)}.tmp`), 'half');
    await writeFile(join(dir, partFileName(5, 8)), JSON.stringify([5, 7]));
    const next = await run(out, events(1, 8), jsonWriter());
    assert.equal(next.removedUncommitted, 2);
    assert.deepEqual(allSeqs(await written(out)), [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps to the store and days of the scope, and refuses another scope on the same directory', async (t) => {
    const out = await tempDir(t);
    const scope = { store: 'a', from: '2026-03-02', to: '2026-03-02' };
    const result = await run(out, events(1, 12), jsonWriter(), scope);
    assert.equal(result.events, 12);
    assert.deepEqual(await written(out), { 'store=a/day=2026-03-02': [3, 9] });
    await assert.rejects(
      run(out, events(1, 12), jsonWriter()),
      /was exported with --store a --from 2026-03-02 --to 2026-03-02/,
    );
  });
});

describe('Parquet export, one run at a time', () => {
  it('refuses to start while another live export holds the directory, and takes over a dead one', async (t) => {
    const out = await tempDir(t);
    // The test runner's parent is alive for the whole test: a lock it held would be live.
    await writeFile(join(out, '.export.lock'), String(process.ppid));
    await assert.rejects(
      run(out, events(1, 4), jsonWriter()),
      /another export \(process \d+\) is writing/,
    );
    // A pid no process has: what a killed run leaves.
    await writeFile(join(out, '.export.lock'), '2147483646');
    const result = await run(out, events(1, 4), jsonWriter());
    assert.equal(result.rows, 4);
    assert.deepEqual(
      (await readdir(out)).filter((f) => f.startsWith('.export')),
      [],
      'released',
    );
  });
});
