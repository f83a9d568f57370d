import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { feedEvent } from '../../../test-support/feed-events.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { plainRow } from '../../domain/analytics/index.js';
import { DuckDbPartWriter } from './duckdb-part-writer.js';
import { queryExport } from './duckdb-sql.js';

async function exportDir(t: TestContext): Promise<string> {
  const out = await tempDir(t);
  const writer = await DuckDbPartWriter.open();
  t.after(() => writer.close());
  const day = Date.parse('2026-03-01T10:00:00Z');
  const rows = [1, 2, 3].map((seq) =>
    plainRow(feedEvent({ seq, deviceTime: day + seq * 1000, body: `{"battery_pct":${70 + seq}}` })),
  );
  const dir = join(out, 'store=berlin-1', 'day=2026-03-01');
  await mkdir(dir, { recursive: true });
  await writer.writePart(join(dir, 'part-1.parquet'), rows);
  return out;
}

describe('analytics sql over a Parquet export (DuckDB, in process)', () => {
  it('reads typed envelope columns, the JSON body and the Hive partitions', async (t) => {
    const out = await exportDir(t);
    const result = await queryExport(
      out,
      `SELECT store, day, count(*) AS n, max(ts) AS last, sum((body->>'battery_pct')::INT) AS pct,
              typeof(any_value(ts)) AS ts_type, typeof(any_value(seq)) AS seq_type
       FROM telemetry GROUP BY ALL`,
    );
    assert.deepEqual(result.rows, [
      {
        store: 'berlin-1',
        day: '2026-03-01',
        n: '3',
        last: '2026-03-01 10:00:03',
        pct: '216',
        ts_type: 'TIMESTAMP',
        seq_type: 'BIGINT',
      },
    ]);
  });

  for (const [what, sql] of [
    ['a DELETE', 'DELETE FROM telemetry'],
    ['a COPY', `COPY (SELECT * FROM telemetry) TO 'x.csv'`],
    ['a CREATE', 'CREATE TABLE t AS SELECT 1'],
    ['an ATTACH', `ATTACH 'other.duckdb'`],
    ['a SET', 'SET enable_external_access = true'],
    ['two statements', 'SELECT 1; DROP VIEW telemetry'],
  ] as const) {
    it(`refuses ${what} with a clear error and changes nothing`, async (t) => {
      const out = await exportDir(t);
      const before = await readdir(out, { recursive: true });
      await assert.rejects(queryExport(out, sql), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'not-a-select', error.message);
        assert.match(error.message, /SELECT/);
        return true;
      });
      assert.deepEqual(await readdir(out, { recursive: true }), before);
    });
  }

  it('reads no file outside the export directory, even inside a SELECT', async (t) => {
    const out = await exportDir(t);
    const outside = join(await tempDir(t), 'secret.csv');
    await writeFile(outside, 'a\n1\n');
    await assert.rejects(
      queryExport(out, `SELECT * FROM read_csv('${outside}')`),
      /file system operations are disabled/,
    );
  });

  it('says what to do when the directory holds no export yet', async (t) => {
    const out = await tempDir(t);
    await assert.rejects(
      queryExport(out, 'SELECT 1'),
      /no Parquet files under .*run 'fleetplane export parquet/,
    );
    assert.ok(!existsSync(join(out, 'x.csv')));
  });
});
