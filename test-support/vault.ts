// PGlite vault directories for tests. A fresh PGlite directory takes seconds to initialise (initdb
// in WASM); copying one takes a fraction of that. So one directory with the vault schema (no
// region claimed yet) is made per test file, and each test copies it into a data directory.
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, type TestContext } from 'node:test';
import { openPgliteClient } from '../src/stores/entities/sql/pglite-client.js';
import { vaultDir } from '../src/stores/vault/pglite-vault-store.js';
import { migrateVault } from '../src/stores/vault/vault-migrations.js';
import { REGIONS, type Region } from '../src/stores/vault/vault-types.js';
import { tempDir } from './temp-dir.js';

let template: Promise<string> | undefined;
after(async () => {
  if (template) await rm(await template, { recursive: true, force: true });
});

function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetplane-vault-template-'));
    const client = await openPgliteClient(dir);
    try {
      await migrateVault(client);
    } finally {
      await client.close();
    }
    return dir;
  })();
  return template;
}

/**
 * A data directory of its own, removed after the test, with the regions' vault databases
 * migrated but unclaimed: the first store opened on each claims it. A copy is 40 MB and a second;
 * ask only for the regions the test opens.
 */
export async function vaultDataDir(
  t: TestContext,
  regions: readonly Region[] = REGIONS,
): Promise<string> {
  const dataDir = await tempDir(t, 'fleetplane-vault-');
  const source = await migratedTemplate();
  for (const region of regions) {
    const dir = vaultDir(dataDir, region);
    await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
    await cp(source, dir, { recursive: true });
  }
  return dataDir;
}
