import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openPgliteClient } from './pglite-client.js';
import { seedFromEmptyCluster } from './pglite-cluster-template.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'pglite-template-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('a new database directory starts from the cached empty cluster and works as its own database', async () => {
  const one = join(root, 'one');
  const two = join(root, 'two');
  const a = await openPgliteClient(one);
  const b = await openPgliteClient(two);
  try {
    assert.ok(existsSync(join(one, 'PG_VERSION')));
    await a.query('create table kept (x int)');
    await a.query('insert into kept values (1)');
    // Copies share no state: a table made in one is not in the other.
    await assert.rejects(b.query('select * from kept'), /does not exist/);
  } finally {
    await a.close();
    await b.close();
  }
  const reopened = await openPgliteClient(one);
  try {
    assert.deepEqual(await reopened.query('select x from kept'), [{ x: 1 }]);
  } finally {
    await reopened.close();
  }
});

test('a directory that already holds files is left for PGlite to judge, not overwritten', async () => {
  const dir = join(root, 'occupied');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'note.txt'), 'someone else’s file');
  await seedFromEmptyCluster(dir);
  assert.deepEqual(await readdir(dir), ['note.txt']);
});
