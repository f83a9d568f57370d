import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { readJsonFile, writeJsonFileAtomic } from './json-file.js';
import { dataLayout } from './layout.js';

describe('readJsonFile', () => {
  it('reads back what was written', async (t) => {
    const path = join(await tempDir(t), 'v.json');
    await writeJsonFileAtomic(path, { a: 1, b: ['x'] });
    assert.deepEqual(await readJsonFile(path), { a: 1, b: ['x'] });
  });

  it('returns undefined for a file that does not exist', async (t) => {
    assert.equal(await readJsonFile(join(await tempDir(t), 'missing.json')), undefined);
  });

  it('refuses a corrupt file with a failure that names it', async (t) => {
    const path = join(await tempDir(t), 'broken.json');
    await writeFile(path, '{"serial": "abc",');
    await assert.rejects(readJsonFile(path), (error: unknown) => {
      assert.ok(isFailure(error));
      assert.equal(error.code, 'corrupt-file');
      assert.match(error.message, /broken\.json/);
      return true;
    });
  });
});

describe('dataLayout', () => {
  it('puts one file per device and per store under the registry', () => {
    const layout = dataLayout('/srv/fp');
    assert.equal(layout.device('SN-1'), '/srv/fp/registry/devices/SN-1.json');
    assert.equal(layout.store('berlin-1'), '/srv/fp/registry/stores/berlin-1.json');
    assert.equal(layout.generationFile(2, 'root.key.pem'), '/srv/fp/ca/g2/root.key.pem');
    assert.equal(layout.chain(3), '/srv/fp/ca/chain-g3.pem');
    assert.equal(layout.revoked('0a1b'), '/srv/fp/ca/revoked/0a1b.json');
  });
});
