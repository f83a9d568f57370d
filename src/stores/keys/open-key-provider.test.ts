import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import { KmsEmulator } from '../../../test-support/kms-emulator.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { KmsKeyProvider } from './kms-key-provider.js';
import { LocalKeyring } from './local-keyring.js';
import { openKeyProvider } from './open-key-provider.js';

/** Sets environment variables for one test and puts the old values back after it. */
function withEnv(t: TestContext, vars: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  t.after(() => apply(saved));
}

describe('openKeyProvider', () => {
  it('opens the local keyring under DIR/keys unless KMS is configured', async (t) => {
    const dir = await tempDir(t);
    const provider = await openKeyProvider({ dataDir: dir });
    assert.ok(provider instanceof LocalKeyring);
    await provider.dataKey('a.key');
    assert.deepEqual(await readdir(dir), ['keys']);
  });

  it('opens KMS with the default credential chain and keeps wrapped blobs under DIR/keys-kms', async (t) => {
    const kms = await KmsEmulator.start(t);
    kms.createKey('fleetplane');
    withEnv(t, {
      AWS_ACCESS_KEY_ID: kms.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: kms.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      // Should the chain ever get past the environment, it must not probe the network.
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const dir = await tempDir(t);
    const provider = await openKeyProvider({
      dataDir: dir,
      kms: { keyId: 'alias/fleetplane', region: kms.region, endpoint: kms.endpoint },
    });
    assert.ok(provider instanceof KmsKeyProvider);
    const key = await provider.dataKey('a.key');
    await provider.currentSalt();
    assert.deepEqual(await readdir(dir), ['keys-kms']);
    assert.deepEqual((await readdir(join(dir, 'keys-kms'))).sort(), ['data', 'salts']);
    assert.deepEqual(kms.calls, ['GenerateDataKey', 'GenerateDataKey']);
    provider.forgetCachedKeys();
    assert.deepEqual(await provider.dataKey('a.key'), key);
  });

  it('refuses a KMS configuration without a region at once', async (t) => {
    const dir = await tempDir(t);
    withEnv(t, {
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    await assert.rejects(
      openKeyProvider({ dataDir: dir, kms: { keyId: 'alias/fleetplane' } }),
      (error: unknown) => {
        assert.ok(isFailure(error), String(error));
        assert.equal(error.code, 'key-provider-refused');
        assert.match(error.message, /region/);
        return true;
      },
    );
  });

  it('leaves the AWS SDK unloaded for code that imports src/stores/keys but not KMS', () => {
    const probe = [
      "import { createRequire } from 'node:module';",
      "await import('./src/stores/keys/index.ts');",
      'const cache = createRequire(import.meta.url).cache;',
      "console.log(Object.keys(cache).filter((k) => k.includes('@aws-sdk')).length);",
    ].join('\n');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', probe],
      { encoding: 'utf8', cwd: fileURLToPath(new URL('../../../', import.meta.url)) },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), '0');
  });
});
