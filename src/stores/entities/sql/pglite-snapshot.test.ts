import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tar from 'tar';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { openPgliteClient, snapshotPgliteDir } from './pglite-client.js';

/** Unpacks a snapshot as `fleetplane backup` does (one top directory, stripped). */
async function unpack(bytes: Uint8Array, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  const file = `${into}.tar`;
  await writeFile(file, bytes);
  await tar.x({ file, cwd: into, strip: 1, strict: true });
}

describe('a PGlite database copied by the process that owns it', () => {
  it('copies an open database with what was committed just before, and the copy opens', async (t) => {
    const work = await tempDir(t);
    const dir = join(work, 'db');
    const db = await openPgliteClient(dir);
    try {
      await db.query('CREATE TABLE t (n integer)');
      await db.query('INSERT INTO t VALUES (1), (2), (3)');
      const snapshot = await snapshotPgliteDir(dir);
      assert.ok(snapshot);
      await db.query('INSERT INTO t VALUES (4)');
      await unpack(snapshot, join(work, 'copy'));
    } finally {
      await db.close();
    }
    const copy = await openPgliteClient(join(work, 'copy'));
    try {
      assert.deepEqual(await copy.query('SELECT n FROM t ORDER BY n'), [
        { n: 1 },
        { n: 2 },
        { n: 3 },
      ]);
    } finally {
      await copy.close();
    }
  });

  it('copies a closed database as its files, and has nothing for a directory with no database', async (t) => {
    const work = await tempDir(t);
    const dir = join(work, 'db');
    const db = await openPgliteClient(dir);
    await db.query('CREATE TABLE t (n integer)');
    await db.query('INSERT INTO t VALUES (7)');
    await db.close();
    const snapshot = await snapshotPgliteDir(dir);
    assert.ok(snapshot);
    await unpack(snapshot, join(work, 'copy'));
    const copy = await openPgliteClient(join(work, 'copy'));
    try {
      assert.deepEqual(await copy.query('SELECT n FROM t'), [{ n: 7 }]);
    } finally {
      await copy.close();
    }
    assert.equal(await snapshotPgliteDir(join(work, 'nothing-here')), undefined);
  });
});
