import assert from 'node:assert/strict';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { platformLockPath } from '../../stores/data-dir/index.js';
import { openEntityStore, pgliteDir } from '../../stores/entities/index.js';
import { allCommands } from '../commands.js';
import { main } from '../main.js';

const EXAMPLE = new URL('../../../examples/catalog.csv', import.meta.url).pathname;

/** A data directory with the store berlin-1 in its registry, and a runner for the real CLI. */
async function setup(t: TestContext) {
  const data = await caDataDir(t);
  const run = async (...argv: string[]) => {
    const io = capture();
    const code = await main(argv, io, allCommands);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };
  const add = await run('store', 'add', '--data', data, '--id', 'berlin-1', '--name', 'Berlin 1');
  assert.equal(add.code, 0, add.err);
  const importFile = (file: string) =>
    run('catalog', 'import', '--data', data, '--store', 'berlin-1', '--file', file);
  return { data, run, importFile };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('fleetplane catalog import', () => {
  it('imports the example catalog, and a second run changes nothing', async (t) => {
    const { data, importFile } = await setup(t);
    const first = await importFile(EXAMPLE);
    assert.equal(first.code, 0, first.err);
    assert.match(
      first.out,
      /^Imported 36 items into store berlin-1 \(36 new or changed, 0 unchanged\); 0 rejected\.$/,
    );
    const second = await importFile(EXAMPLE);
    assert.match(second.out, /\(0 new or changed, 36 unchanged\); 0 rejected\./);

    const store = await openEntityStore({ dataDir: data });
    t.after(() => store.close());
    const items = await store.listCatalogItems('berlin-1');
    assert.equal(items.length, 36);
    assert.deepEqual(
      items.find((i) => i.sku === 'DAIRY-003'),
      {
        sku: 'DAIRY-003',
        name: 'Butter, salted 250 g',
        priceCents: 239,
        barcode: '4012345010145',
        weightG: 255,
        category: 'dairy',
      },
    );
  });

  it('imports the good rows, lists the bad ones by line and exits 1', async (t) => {
    const { data, importFile } = await setup(t);
    const file = join(data, 'pos.json');
    await writeFile(
      file,
      JSON.stringify([
        { sku: 'A-1', name: 'Apples', price_cents: 299 },
        { sku: 'A-2', name: 'Pears', price_cents: '1,99' },
      ]),
    );
    const result = await importFile(file);
    assert.equal(result.code, 1);
    assert.match(result.out, /Imported 1 items .*; 1 rejected\./);
    assert.match(result.err, /item 2: price_cents must be a whole number, got '1,99'/);
  });

  it('refuses to open the embedded database while the platform runs on the directory', async (t) => {
    const { data, importFile } = await setup(t);
    await writeFile(
      platformLockPath(data),
      JSON.stringify({ pid: process.pid, apiUrl: 'http://127.0.0.1:8080' }),
    );
    const result = await importFile(EXAMPLE);
    assert.equal(result.code, 1);
    assert.match(
      result.err,
      new RegExp(
        `the platform is running \\(pid ${process.pid}.*import the catalog through it \\[platform-running\\]`,
      ),
    );
    assert.equal(await exists(pgliteDir(data)), false);
  });

  it('refuses a store the registry does not know', async (t) => {
    const { data, run } = await setup(t);
    const result = await run(
      'catalog',
      'import',
      '--data',
      data,
      '--store',
      'nowhere',
      '--file',
      EXAMPLE,
    );
    assert.equal(result.code, 1);
    assert.match(result.err, /store 'nowhere' is not known.*\[unknown-store\]/);
  });

  it('refuses a malformed file before it opens the database', async (t) => {
    const { data, importFile } = await setup(t);
    const file = join(data, 'pos.csv');
    await writeFile(file, 'sku,name,price\nA,Apples,2.99\n');
    const result = await importFile(file);
    assert.equal(result.code, 1);
    assert.match(result.err, /unknown column 'price'.*\[invalid-catalog\]/);
    const missing = await importFile(join(data, 'absent.csv'));
    assert.match(
      missing.err,
      /cannot read the catalog .*absent\.csv \(ENOENT\) \[catalog-unreadable\]/,
    );
    assert.equal(await exists(pgliteDir(data)), false);
  });
});
