import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { FileWrappedKeyStore } from './file-wrapped-key-store.js';
import type { DestroyedKey, WrappedDataKey, WrappedSalt } from './wrapped-key-store.js';

const wrapped = (name: string): WrappedDataKey => ({
  kind: 'data-key',
  name,
  createdAt: '2026-05-10T09:00:00.000Z',
  kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k',
  ciphertextBlob: 'AQID',
});

const salt = (id: string): WrappedSalt => ({
  kind: 'salt',
  id,
  quarter: '2026q2',
  activeFrom: '2026-05-10T09:00:00.000Z',
  reason: 'first',
  createdAt: '2026-05-10T09:00:00.000Z',
  kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k',
  ciphertextBlob: 'AQID',
});

function failsWith(code: string) {
  return (error: unknown) => {
    assert.ok(isFailure(error), String(error));
    assert.equal(error.code, code);
    return true;
  };
}

describe('FileWrappedKeyStore', () => {
  it('creates a record once, lets only a replace overwrite it, and lists by prefix', async (t) => {
    const store = new FileWrappedKeyStore(join(await tempDir(t), 'keys-kms'));
    assert.equal(await store.get('data/a.key'), undefined);
    assert.equal(await store.createExclusive('data/a.key', wrapped('a.key')), true);
    assert.equal(await store.createExclusive('data/a.key', wrapped('other')), false);
    assert.equal((await store.get('data/a.key'))?.kind, 'data-key');
    const tombstone: DestroyedKey = {
      kind: 'destroyed',
      name: 'a.key',
      destroyedAt: '2026-06-01T00:00:00Z',
    };
    await store.replace('data/a.key', tombstone);
    assert.deepEqual(await store.get('data/a.key'), tombstone);
    await store.createExclusive('salts/2026q2-1', salt('2026q2-1'));
    await store.createExclusive('salts/2026q2-2', salt('2026q2-2'));
    assert.deepEqual((await store.list('salts/')).map((r) => r.name).sort(), [
      'salts/2026q2-1',
      'salts/2026q2-2',
    ]);
    assert.deepEqual(
      (await store.list('salts/2026q2-2')).map((r) => r.name),
      ['salts/2026q2-2'],
    );
    assert.deepEqual(await store.list('nothing/'), []);
  });

  it('lets exactly one of many concurrent creators win', async (t) => {
    const store = new FileWrappedKeyStore(await tempDir(t));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.createExclusive('data/race', wrapped(`w${i}`))),
    );
    assert.equal(results.filter(Boolean).length, 1);
    const winner = results.indexOf(true);
    assert.equal(((await store.get('data/race')) as WrappedDataKey).name, `w${winner}`);
  });

  it(
    'keeps files (0600) and directories (0700) private',
    { skip: process.platform === 'win32' },
    async (t) => {
      const root = join(await tempDir(t), 'keys-kms');
      const store = new FileWrappedKeyStore(root);
      await store.createExclusive('data/a.key', wrapped('a.key'));
      await store.replace('data/b.key', { kind: 'destroyed', name: 'b.key', destroyedAt: 'x' });
      for (const d of ['', 'data']) assert.equal((await stat(join(root, d))).mode & 0o777, 0o700);
      for (const f of await readdir(join(root, 'data'))) {
        assert.equal((await stat(join(root, 'data', f))).mode & 0o777, 0o600, f);
      }
    },
  );

  it('refuses names that could leave its directory', async (t) => {
    const store = new FileWrappedKeyStore(await tempDir(t));
    for (const bad of ['../x', '/etc/x', 'data/../../x', 'data//x', 'Data/x', '', 'data/']) {
      await assert.rejects(store.get(bad), failsWith('invalid-key-name'), bad);
      await assert.rejects(store.createExclusive(bad, wrapped('x')), failsWith('invalid-key-name'));
    }
    await assert.rejects(store.list('../'), failsWith('invalid-key-name'));
  });

  it('reports a file that is not a wrapped key record as corrupt, naming it', async (t) => {
    const dir = await tempDir(t);
    const store = new FileWrappedKeyStore(dir);
    await store.createExclusive('data/a.key', wrapped('a.key'));
    await writeFile(join(dir, 'data', 'a.key.json'), JSON.stringify({ kind: 'data-key' }));
    await assert.rejects(store.get('data/a.key'), (error: unknown) => {
      assert.ok(failsWith('corrupt-file')(error));
      assert.match((error as Error).message, /a\.key\.json/);
      return true;
    });
  });
});
