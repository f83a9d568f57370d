import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openPgliteClient } from './pglite-client.js';

const client = fileURLToPath(new URL('./pglite-client.ts', import.meta.url));

// A platform killed while it creates a database (the vault of a region, in the background after
// start) must not leave a directory that every later start fails to open.
test('a process killed while creating a database leaves nothing half-made; the next open creates it whole', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'pglite-killed-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'vault', 'eu');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { openPgliteClient } = await import(${JSON.stringify(client)});` +
        `await openPgliteClient(${JSON.stringify(dir)}); await new Promise(() => {});`,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((done) => child.once('exit', done));
  // Killed once the cluster is being written (copied from the template or by initdb).
  const deadline = Date.now() + 60_000;
  const writing = () =>
    existsSync(join(`${dir}.creating`, 'PG_VERSION')) || existsSync(join(dir, 'PG_VERSION'));
  while (!writing() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await exited;
  assert.ok(writing(), 'killed while the cluster was being written');

  const db = await openPgliteClient(dir);
  try {
    assert.deepEqual(await db.query('select 1 as one'), [{ one: 1 }]);
  } finally {
    await db.close();
  }
  assert.ok(!existsSync(`${dir}.creating`), 'the leftover is discarded');
});
