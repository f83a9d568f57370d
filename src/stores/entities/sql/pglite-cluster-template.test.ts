import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openPgliteClient } from './pglite-client.js';
import type { SqlClient } from './sql-client.js';
import { cacheBases, seedFromTemplate } from './pglite-cluster-template.js';

let root: string;
const templateName = `test-${process.pid}-${Date.now()}`;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'pglite-template-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
  for (const base of cacheBases()) {
    for (const entry of await readdir(base).catch(() => [] as string[])) {
      if (entry.includes(templateName))
        await rm(join(base, entry), { recursive: true, force: true });
    }
  }
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
  await seedFromTemplate(dir, undefined, openPgliteClient);
  assert.deepEqual(await readdir(dir), ['note.txt']);
});

test('a named template carries what its prepare step made into every new directory', async () => {
  let prepared = 0;
  const template = {
    name: templateName,
    prepare: async (client: SqlClient) => {
      prepared += 1;
      await client.query('create table from_template (x int)');
    },
  };
  const first = await openPgliteClient(join(root, 'templated-1'), template);
  const second = await openPgliteClient(join(root, 'templated-2'), template);
  try {
    assert.deepEqual(await first.query('select * from from_template'), []);
    assert.deepEqual(await second.query('select * from from_template'), []);
    assert.equal(prepared, 1, 'the template is prepared once, then copied');
  } finally {
    await first.close();
    await second.close();
  }
});
