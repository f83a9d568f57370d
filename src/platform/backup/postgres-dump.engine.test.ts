import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { hasBinary, needEngine } from '../../../test-support/engines.js';
import { POSTGRES_URL, postgresSchema } from '../../../test-support/postgres.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import { FieldCipher } from '../../stores/vault/field-cipher.js';
import { openPostgresVaultStore } from '../../stores/vault/postgres-vault-store.js';

const run = promisify(execFile);

/** A database of its own on the test server, dropped when the test ends. */
async function scratchDatabase(t: TestContext): Promise<string> {
  const name = `fp_restore_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  t.after(async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('the PostgreSQL path: pg_dump and pg_restore, as the runbook gives them', () => {
  it('restores a vault schema into another database, readable with the keyring and still claimed for its region', async (t) => {
    const schema = await postgresSchema(t);
    if (schema === undefined) return;
    const tools = hasBinary('pg_dump', ['--version']) && hasBinary('pg_restore', ['--version']);
    if (!needEngine(t, tools, 'pg_dump and pg_restore (postgresql-client)')) return;
    const data = await tempDir(t);
    const keys = new LocalKeyring(data);
    const cipher = new FieldCipher(keys);
    const kept = randomUUID();
    const erased = randomUUID();
    const vault = await openPostgresVaultStore({ url: POSTGRES_URL, region: 'eu', schema });
    try {
      await vault.migrate();
      for (const [id, email] of [
        [kept, 'ann.baker@example.com'],
        [erased, 'carl.dietz@example.com'],
      ] as const) {
        const fields = await cipher.sealFields('eu', id, { email });
        await vault.putAccount({ accountId: id, fields, at: new Date() });
      }
    } finally {
      await vault.close();
    }

    const dump = join(data, 'vault-eu.dump');
    await run('pg_dump', [
      '--dbname',
      POSTGRES_URL,
      '--schema',
      schema,
      '--format',
      'custom',
      '--file',
      dump,
    ]);
    // A DSAR after the dump: crypto-shredding holds for dumps as for the embedded sets.
    await cipher.shred(erased);
    const target = await scratchDatabase(t);
    await run('pg_restore', ['--dbname', target, '--no-owner', '--exit-on-error', dump]);

    const restored = await openPostgresVaultStore({ url: target, region: 'eu', schema });
    try {
      await restored.migrate();
      const row = (await restored.getAccount(kept))!;
      assert.deepEqual(await cipher.openFields('eu', kept, row.fields, ['email']), {
        email: 'ann.baker@example.com',
      });
      const gone = (await restored.getAccount(erased))!;
      assert.ok(gone.fields.email, 'the ciphertext came back with the dump');
      await assert.rejects(cipher.openFields('eu', erased, gone.fields, ['email']), (e: unknown) =>
        isFailure(e),
      );
    } finally {
      await restored.close();
    }
    // The restored database keeps its region's claim: opened as another region's vault, refused.
    const swapped = await openPostgresVaultStore({ url: target, region: 'us', schema });
    try {
      await assert.rejects(swapped.migrate(), (e: unknown) => isFailure(e));
    } finally {
      await swapped.close();
    }
  });
});
