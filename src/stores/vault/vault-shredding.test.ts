import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { vaultDataDir } from '../../../test-support/vault.js';
import { isFailure } from '../../shared/failure.js';
import { LocalKeyring } from '../keys/local-keyring.js';
import { FieldCipher } from './field-cipher.js';
import { openVaults } from './open-vault.js';
import type { VaultStore } from './vault-store.js';
import type { VaultField } from './vault-types.js';

const people: Partial<Record<VaultField, string>>[] = [
  {
    email: 'zelda.quartermaine@example.org',
    first_name: 'Zelda',
    last_name: 'Quartermaine',
    phone: '+1 415 555 0199',
    loyalty_number: 'LC-77310042',
  },
  {
    email: 'bartholomew.ngata@example.org',
    first_name: 'Bartholomew',
    last_name: 'Ngata',
    phone: '+44 20 7946 0321',
    address: '221B Baker Street, London',
  },
];

const ALL: VaultField[] = [
  'email',
  'first_name',
  'last_name',
  'phone',
  'address',
  'loyalty_number',
];

/** The files under `dir` whose bytes contain `needle`, each read whole: no parser can hide one. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const bytes = Buffer.from(needle, 'utf8');
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(bytes)) hits.push(path);
  }
  return hits;
}

function plainValues(): string[] {
  return people.flatMap((p) => Object.values(p));
}

async function closeAll(vaults: Map<string, VaultStore>) {
  await Promise.all([...vaults.values()].map((v) => v.close()));
}

describe('vault crypto-shredding on disk', () => {
  it('writes only ciphertext: no plaintext in any file under the data directory, before or after a shred', async (t) => {
    const dataDir = await vaultDataDir(t);
    const cipher = new FieldCipher(new LocalKeyring(dataDir));
    let vaults = await openVaults({ dataDir });
    const eu = vaults.get('eu')!;
    const ids = people.map(() => randomUUID());
    const at = new Date('2026-05-10T09:00:00Z');
    for (const [i, plain] of people.entries()) {
      const fields = await cipher.sealFields('eu', ids[i]!, plain);
      await eu.putAccount({ accountId: ids[i]!, fields, at });
      const digest = await cipher.lookupDigest('email', plain.email!);
      assert.equal(await eu.setLookup('email', digest, ids[i]!), 'created');
    }
    const before = (await eu.getAccount(ids[0]!))!;
    // Closing checkpoints PGlite, so the rows are in its data files as well as its WAL.
    await closeAll(vaults);

    for (const value of plainValues()) {
      assert.deepEqual(await filesContaining(dataDir, value), [], value);
    }
    // The scan does see the database's contents: the sealed e-mail is there, byte for byte.
    assert.notDeepEqual(await filesContaining(dataDir, before.fields.email!.ct), []);

    vaults = await openVaults({ dataDir });
    t.after(() => closeAll(vaults));
    const store = vaults.get('eu')!;
    const gone = ids[0]!;
    assert.equal(await cipher.shred(gone), true);
    assert.equal(await store.markErased(gone, new Date('2026-05-11T09:00:00Z')), true);

    const after = (await store.getAccount(gone))!;
    assert.deepEqual(after.fields, before.fields, 'the ciphertext is left in place');
    await assert.rejects(cipher.openFields('eu', gone, after.fields, ALL), (error: unknown) => {
      assert.ok(isFailure(error));
      assert.equal(error.code, 'account-erased');
      return true;
    });
    const digest = await cipher.lookupDigest('email', people[0]!.email!);
    assert.equal(await store.findByLookup('email', digest), undefined);
    // The other account is untouched.
    const kept = (await store.getAccount(ids[1]!))!;
    assert.deepEqual(await cipher.openFields('eu', ids[1]!, kept.fields, ALL), people[1]);

    await closeAll(vaults); // closing twice (again in t.after) is harmless
    for (const value of plainValues()) {
      assert.deepEqual(await filesContaining(dataDir, value), [], value);
    }
    assert.notDeepEqual(await filesContaining(dataDir, after.fields.email!.ct), []);
  });
});
