import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, ready, snapshot } from '../../../test-support/cli.js';
import { allCommands } from '../commands.js';

describe('ca and store commands', () => {
  it('are part of the fleetplane CLI', () => {
    const paths = allCommands.map((c) => c.path.join(' '));
    for (const p of [
      'ca init',
      'ca rotate',
      'ca status',
      'store add',
      'store list',
      'provision',
      'revoke',
    ]) {
      assert.ok(paths.includes(p), p);
    }
  });

  it('ca init twice: the second reports the CA and changes nothing', async (t) => {
    const { data, run } = await cli(t);
    const first = await run('ca', 'init', '--data', data);
    assert.equal(first.code, 0);
    assert.match(first.text, /Created fleet CA generation 1/);
    const before = await snapshot(data);
    const second = await run('ca', 'init', '--data', data);
    assert.equal(second.code, 0);
    assert.match(second.text, /already initialised.*nothing changed/);
    assert.deepEqual(await snapshot(data), before);
  });

  it('store add twice is fine; a conflicting add exits 1', async (t) => {
    const { data, run } = await cli(t);
    assert.equal((await run('ca', 'init', '--data', data)).code, 0);
    const args = ['store', 'add', '--data', data, '--id', 's1', '--name', 'One', '--region', 'eu'];
    assert.equal((await run(...args)).code, 0);
    const before = await snapshot(data);
    const again = await run(...args);
    assert.equal(again.code, 0);
    assert.match(again.text, /already exists; nothing changed/);
    assert.deepEqual(await snapshot(data), before);
    const conflict = await run('store', 'add', '--data', data, '--id', 's1', '--name', 'Two');
    assert.equal(conflict.code, 1);
    assert.match(conflict.text, /\[store-conflict\]/);
    const list = await run('store', 'list', '--data', data);
    assert.match(list.text, /^s1\s+eu\s+-\s+One$/m);
  });

  it('exits 2 for a bad flag or value and 1 for an unknown store, with one sentence and no stack', async (t) => {
    const { data, work, run, provision } = await ready(t);
    const out = join(work, 'out');
    const badFlag = await provision('SN-1', out, '--colour', 'red');
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.text, /usage: fleetplane provision/);
    assert.equal(
      (await run('store', 'add', '--data', data, '--id', 'x', '--name', 'X', '--region', 'mars'))
        .code,
      2,
    );
    assert.equal((await run('ca', 'rotate', '--data', data, '--overlap-days', 'soon')).code, 2);
    assert.equal(
      (await run('revoke', '--data', data, '--serial', 'SN-1', '--reason', 'boredom')).code,
      2,
    );

    const unknown = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'nowhere',
      '--class',
      'cart',
      '--out',
      out,
    );
    assert.equal(unknown.code, 1);
    assert.equal(unknown.io.stderr.length, 1);
    assert.match(unknown.io.stderr[0]!, /store 'nowhere' is not known.*\[unknown-store\]$/);
    assert.doesNotMatch(unknown.text, /\n\s+at /);
    assert.deepEqual(await readdir(work), [], 'a refused request leaves no key behind');

    const invalid = await provision('../etc', out, '--class', 'cart');
    assert.equal(invalid.code, 1);
    assert.match(invalid.text, /\[invalid-serial\]/);
  });

  it('tells the operator to run ca init when there is no CA', async (t) => {
    const { data, work, run } = await cli(t);
    await run('store', 'add', '--data', data, '--id', 'berlin-1', '--name', 'Berlin 1');
    const result = await run(
      'provision',
      '--data',
      data,
      '--serial',
      'SN-1',
      '--store',
      'berlin-1',
      '--class',
      'cart',
      '--out',
      join(work, 'o'),
    );
    assert.equal(result.code, 1);
    assert.match(
      result.text,
      /not a fleetplane data directory.*fleetplane ca init.*\[no-data-dir\]/,
    );
    assert.equal((await run('ca', 'status', '--data', data)).code, 1);
  });
});
