import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { capture } from '../../../test-support/cli.js';
import { feedEvent } from '../../../test-support/feed-events.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { plainRow } from '../../domain/analytics/index.js';
import { DuckDbPartWriter } from '../../stores/analytics/duckdb-part-writer.js';
import { main } from '../main.js';
import { analyticsCommands } from './index.js';

describe('analytics view', () => {
  it('writes a DuckDB file whose telemetry view reads the export, and that opens read-only', async (t) => {
    const work = await tempDir(t);
    const out = join(work, 'exports');
    const dir = join(out, 'store=berlin-1', 'day=2026-03-01');
    await mkdir(dir, { recursive: true });
    const writer = await DuckDbPartWriter.open();
    await writer.writePart(join(dir, 'part-1.parquet'), [plainRow(feedEvent({ seq: 1 }))]);
    writer.close();

    const db = join(work, 'analytics.duckdb');
    const io = capture();
    assert.equal(
      await main(['analytics', 'view', '--dir', out, '--db', db], io, analyticsCommands()),
      0,
      io.text(),
    );
    const again = capture();
    assert.equal(
      await main(['analytics', 'view', '--dir', out, '--db', db], again, analyticsCommands()),
      2,
    );
    assert.match(again.text(), /exists; remove it or choose another --db/);

    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    t.after(() => {
      connection.closeSync();
      instance.closeSync();
    });
    const rows = await connection.runAndReadAll(
      'SELECT store, count(*)::INT AS n FROM telemetry GROUP BY ALL',
    );
    assert.deepEqual(rows.getRowObjectsJson(), [{ store: 'berlin-1', n: 1 }]);
    await assert.rejects(connection.run('CREATE TABLE x (a INT)'), /read-only/);
  });
});
