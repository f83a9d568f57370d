import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { MovableClock, runKeyProviderContract } from './key-provider.contract.js';
import { LocalKeyring } from './local-keyring.js';

runKeyProviderContract('local keyring', async (t, clock) => {
  const dir = await tempDir(t);
  return { provider: new LocalKeyring(dir, clock), reopen: () => new LocalKeyring(dir, clock) };
});

describe('LocalKeyring', () => {
  it('keeps every key file (0600) and directory (0700) private and never stores material in the clear', async (t) => {
    const dir = await tempDir(t);
    const keyring = new LocalKeyring(dir, new MovableClock().now);
    const salt = await keyring.currentSalt();
    const key = await keyring.dataKey('domain.tool-telemetry.token');
    const files = (await readdir(join(dir, 'keys'), { recursive: true })).map(String);
    if (process.platform !== 'win32') {
      for (const d of ['', 'salts', 'data']) {
        assert.equal((await stat(join(dir, 'keys', d))).mode & 0o777, 0o700, `keys/${d}`);
      }
    }
    const jsonFiles = files.filter((f) => f.endsWith('.json'));
    assert.equal(jsonFiles.length, 3);
    for (const f of jsonFiles) {
      const path = join(dir, 'keys', f);
      if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600, f);
      if (f === 'master.json') continue;
      const text = await readFile(path, 'utf8');
      for (const secret of [salt.material, key]) {
        assert.ok(!text.includes(secret.toString('base64')), f);
        assert.ok(!text.includes(secret.toString('hex')), f);
      }
    }
  });

  it('agrees with another process on the salt a scheduled rotation creates', async (t) => {
    const dir = await tempDir(t);
    const clock = new MovableClock();
    await new LocalKeyring(dir, clock.now).currentSalt();
    clock.set('2026-10-01T10:00:00Z');
    const [a, b] = await Promise.all([
      new LocalKeyring(dir, clock.now).currentSalt(),
      new LocalKeyring(dir, clock.now).currentSalt(),
    ]);
    assert.equal(a.id, b.id);
    assert.deepEqual(a.material, b.material);
  });

  it('cannot unwrap keys under another keyring master key', async (t) => {
    const one = await tempDir(t);
    const two = await tempDir(t);
    const clock = new MovableClock();
    await new LocalKeyring(one, clock.now).dataKey('x.key');
    const { cp } = await import('node:fs/promises');
    await new LocalKeyring(two, clock.now).dataKey('y.key'); // creates two's master key
    await cp(join(one, 'keys', 'data', 'x.key.json'), join(two, 'keys', 'data', 'x.key.json'));
    await assert.rejects(new LocalKeyring(two, clock.now).dataKey('x.key'), /decrypt/);
  });
});
