import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { KmsEmulator } from '../../../test-support/kms-emulator.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { FileWrappedKeyStore } from './file-wrapped-key-store.js';
import type { Clock } from './key-provider.js';
import { MovableClock, runKeyProviderContract } from './key-provider.contract.js';
import { KmsKeyProvider, type KmsKeyProviderOptions } from './kms-key-provider.js';

// Against a local KMS protocol emulator with the real SDK client (test-support/kms-emulator.ts),
// not against AWS: what that does and does not prove is in docs/decisions/017-kms-key-provider.md.

interface Setup {
  readonly kms: KmsEmulator;
  readonly dir: string;
  /** A provider as a fresh process would build it: its own SDK client, same store and CMK. */
  provider(options?: Partial<KmsKeyProviderOptions>): KmsKeyProvider;
}

async function setup(t: TestContext, clock: Clock = new MovableClock().now): Promise<Setup> {
  const kms = await KmsEmulator.start(t);
  kms.createKey('fleetplane');
  const dir = join(await tempDir(t), 'keys-kms');
  return {
    kms,
    dir,
    provider: (options = {}) =>
      new KmsKeyProvider({
        kms: kms.client(t),
        keyId: 'alias/fleetplane',
        store: new FileWrappedKeyStore(dir),
        now: clock,
        ...options,
      }),
  };
}

function failsWith(code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(isFailure(error), `not a Failure: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  };
}

runKeyProviderContract('AWS KMS (protocol emulator, real SDK client)', async (t, clock) => {
  const s = await setup(t, clock);
  return { provider: s.provider(), reopen: () => s.provider() };
});

describe('KmsKeyProvider', () => {
  it('binds each wrapped blob to its name: copied under another name it does not decrypt', async (t) => {
    const s = await setup(t);
    const provider = s.provider();
    await provider.dataKey('account.a-1.data');
    const salt = await provider.currentSalt();
    const record = JSON.parse(await readFile(join(s.dir, 'data', 'account.a-1.data.json'), 'utf8'));
    // An attacker with write access to the store renames the record as well as the file.
    await writeFile(
      join(s.dir, 'data', 'account.b-2.data.json'),
      JSON.stringify({ ...record, name: 'account.b-2.data' }),
    );
    const decrypts = s.kms.calls.length;
    await assert.rejects(provider.dataKey('account.b-2.data'), failsWith('decrypt-failed'));
    assert.equal(s.kms.calls.length, decrypts + 1, 'KMS itself refused it');
    // A salt's blob passed off as a data key: the purpose differs, so KMS refuses it too.
    const saltRecord = JSON.parse(await readFile(join(s.dir, 'salts', `${salt.id}.json`), 'utf8'));
    await writeFile(
      join(s.dir, 'data', 'stolen.json'),
      JSON.stringify({ ...record, name: 'stolen', ciphertextBlob: saltRecord.ciphertextBlob }),
    );
    await assert.rejects(provider.dataKey('stolen'), failsWith('decrypt-failed'));
  });

  it('never writes plaintext key material to its store, and keeps the files private', async (t) => {
    const s = await setup(t);
    const provider = s.provider();
    const salt = await provider.currentSalt();
    const rotated = await provider.rotateSalt();
    const key = await provider.dataKey('domain.tool-telemetry.token');
    await provider.dataKey('account.a-1.data');
    await provider.destroyDataKey('account.a-1.data');
    const files = (await readdir(s.dir, { recursive: true }))
      .map(String)
      .filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 4);
    for (const f of files) {
      const path = join(s.dir, f);
      if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600, f);
      const bytes = await readFile(path);
      const text = bytes.toString('utf8');
      for (const secret of [salt.material, rotated.material, key]) {
        assert.ok(!bytes.includes(secret), f);
        assert.ok(!text.includes(secret.toString('base64')), f);
        assert.ok(!text.includes(secret.toString('hex')), f);
      }
    }
  });

  it('destroy is final for every instance, even one that had the key cached', async (t) => {
    const s = await setup(t);
    const warm = s.provider();
    await warm.dataKey('account.a-1.data');
    assert.equal(await s.provider().destroyDataKey('account.a-1.data'), true);
    await assert.rejects(warm.dataKey('account.a-1.data'), failsWith('key-destroyed'));
    const generated = s.kms.calls.filter((c) => c === 'GenerateDataKey').length;
    await assert.rejects(s.provider().dataKey('account.a-1.data'), failsWith('key-destroyed'));
    assert.equal(await s.provider().destroyDataKey('account.a-1.data'), false);
    assert.equal(
      s.kms.calls.filter((c) => c === 'GenerateDataKey').length,
      generated,
      'no instance generated a replacement key',
    );
  });

  it('turns a KMS outage into key-provider-unavailable, and recovers when KMS is back', async (t) => {
    const s = await setup(t);
    const key = await s.provider().dataKey('domain.x.token');
    await s.kms.stop();
    const cold = s.provider();
    await assert.rejects(
      cold.dataKey('domain.x.token'),
      failsWith('key-provider-unavailable', /ECONNREFUSED/),
    );
    await assert.rejects(cold.currentSalt(), failsWith('key-provider-unavailable'));
    await s.kms.resume();
    assert.deepEqual(await cold.dataKey('domain.x.token'), key);
  });

  it('serves a cached key through a short outage, for at most the cache time', async (t) => {
    const clock = new MovableClock();
    const s = await setup(t, clock.now);
    const provider = s.provider({ cacheTtlMs: 60_000 });
    const key = await provider.dataKey('domain.x.token');
    await s.kms.stop();
    clock.advanceDays(59 / 86_400);
    assert.deepEqual(await provider.dataKey('domain.x.token'), key);
    clock.advanceDays(1 / 86_400);
    await assert.rejects(provider.dataKey('domain.x.token'), failsWith('key-provider-unavailable'));
  });

  it('asks KMS once per key while cached, and once for many callers at the same moment', async (t) => {
    const clock = new MovableClock();
    const s = await setup(t, clock.now);
    await s.provider().dataKey('domain.x.token');
    const provider = s.provider();
    const keys = await Promise.all(
      Array.from({ length: 10 }, () => provider.dataKey('domain.x.token')),
    );
    for (const k of keys) assert.deepEqual(k, keys[0]);
    await provider.dataKey('domain.x.token');
    assert.deepEqual(s.kms.calls, ['GenerateDataKey', 'Decrypt']);
    clock.advanceDays(1);
    await provider.dataKey('domain.x.token');
    assert.deepEqual(s.kms.calls, ['GenerateDataKey', 'Decrypt', 'Decrypt']);
  });

  it('agrees with another instance on a key both create at the same moment', async (t) => {
    const s = await setup(t);
    const [a, b] = await Promise.all([
      s.provider().dataKey('account.a-1.data'),
      s.provider().dataKey('account.a-1.data'),
    ]);
    assert.deepEqual(a, b);
    assert.deepEqual(await s.provider().dataKey('account.a-1.data'), a);
  });

  it('tells a refusing KMS (unknown, disabled key) from an unavailable one (throttled)', async (t) => {
    const s = await setup(t);
    await assert.rejects(
      s.provider({ keyId: 'alias/missing' }).dataKey('a.key'),
      failsWith('key-provider-refused', /NotFoundException/),
    );
    const arn = s.kms.createKey('other');
    await s.provider({ keyId: arn }).dataKey('b.key');
    s.kms.disableKey(arn);
    await assert.rejects(
      s.provider({ keyId: arn }).dataKey('b.key'),
      failsWith('key-provider-refused', /DisabledException/),
    );
    s.kms.failNext('ThrottlingException');
    const noRetry = new KmsKeyProvider({
      kms: s.kms.client(t, { maxAttempts: 1 }),
      keyId: 'alias/fleetplane',
      store: new FileWrappedKeyStore(s.dir),
    });
    await assert.rejects(
      noRetry.dataKey('c.key'),
      failsWith('key-provider-unavailable', /ThrottlingException/),
    );
  });

  it('keeps reading old keys after the alias moves to a new KMS key', async (t) => {
    const s = await setup(t);
    const old = await s.provider().dataKey('domain.x.token');
    s.kms.createKey('fleetplane'); // the alias now names a new CMK
    const provider = s.provider();
    assert.deepEqual(await provider.dataKey('domain.x.token'), old);
    await provider.dataKey('domain.y.token');
    const arns = await Promise.all(
      ['domain.x.token', 'domain.y.token'].map(
        async (n) => JSON.parse(await readFile(join(s.dir, 'data', `${n}.json`), 'utf8')).kmsKeyArn,
      ),
    );
    assert.notEqual(arns[0], arns[1]);
  });
});
