import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { createFileExclusive, writeFileAtomic } from './atomic-file.js';

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temporary file behind', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'nested', 'a.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    assert.equal(await readFile(path, 'utf8'), 'two');
    assert.deepEqual(await readdir(join(dir, 'nested')), ['a.json']);
  });

  it('creates private files with mode 0600', { skip: process.platform === 'win32' }, async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'key.pem');
    await writeFileAtomic(path, 'secret', { mode: 0o600 });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });
});

describe('createFileExclusive', () => {
  it('creates a file once and refuses to replace it', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'd.json');
    assert.equal(await createFileExclusive(path, 'first'), true);
    assert.equal(await createFileExclusive(path, 'second'), false);
    assert.equal(await readFile(path, 'utf8'), 'first');
    assert.deepEqual(await readdir(dir), ['d.json']);
  });

  it('lets exactly one of many concurrent creators win', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'race.json');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createFileExclusive(path, `writer ${i}`)),
    );
    assert.equal(results.filter(Boolean).length, 1);
    const winner = results.indexOf(true);
    assert.equal(await readFile(path, 'utf8'), `writer ${winner}`);
  });

  it('does not treat an existing file written by someone else as its own', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'x');
    await writeFile(path, 'manual');
    assert.equal(await createFileExclusive(path, 'mine'), false);
    assert.equal(await readFile(path, 'utf8'), 'manual');
  });
});
