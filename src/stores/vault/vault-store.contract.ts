import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { isFailure } from '../../shared/failure.js';
import type { Sealed } from '../keys/envelope.js';
import type { VaultStore } from './vault-store.js';
import type { Region } from './vault-types.js';

/** What the suite needs of an adapter: a migrated store, and the database underneath it. */
export interface VaultUnderTest {
  readonly store: VaultStore;
  /** One statement straight on the store's database, around the adapter. */
  sql(statement: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A store for `region` on this same database, migrated (which should refuse). */
  openAs(region: Region): Promise<VaultStore>;
}

/** A stand-in ciphertext: the store never looks inside, so no key is needed here. */
function fake(label: string): Sealed {
  return {
    iv: Buffer.from(`iv-${label}`).toString('base64'),
    ct: Buffer.from(`ct-${label}`).toString('base64'),
    tag: Buffer.from(`tag-${label}`).toString('base64'),
  };
}

const T1 = new Date('2026-05-10T09:00:00.000Z');
const T2 = new Date('2026-05-11T09:00:00.000Z');

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(isFailure(error), String(error));
    assert.equal(error.code, code);
    return true;
  };
}

/**
 * The behaviour every VaultStore adapter must have. `open` returns a migrated, empty store for
 * `region` on a database of its own, or undefined when the engine is missing (test skipped).
 */
export function vaultStoreContract(
  name: string,
  open: (t: TestContext, region: Region) => Promise<VaultUnderTest | undefined>,
): void {
  describe(`VaultStore contract: ${name}`, () => {
    it('round-trips sealed fields and leaves fields a later put does not name', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const { store } = under;
      const id = randomUUID();
      await store.putAccount({
        accountId: id,
        fields: { email: fake('email'), first_name: fake('first') },
        at: T1,
      });
      await store.putAccount({
        accountId: id,
        fields: { first_name: fake('first-2'), phone: fake('phone') },
        at: T2,
      });
      assert.deepEqual(await store.getAccount(id), {
        accountId: id,
        region: 'us',
        fields: { email: fake('email'), first_name: fake('first-2'), phone: fake('phone') },
        createdAt: T1,
        updatedAt: T2,
      });
    });

    it('finds nothing for an unknown or malformed id, and refuses to write one', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      assert.equal(await under.store.getAccount(randomUUID()), undefined);
      assert.equal(await under.store.getAccount('not-a-uuid'), undefined);
      assert.deepEqual(await under.store.paymentMethods('not-a-uuid'), []);
      await assert.rejects(
        under.store.putAccount({ accountId: 'not-a-uuid', fields: {}, at: T1 }),
        rejectsWith('invalid-account-id'),
      );
    });

    it('keeps each field in its own column and refuses a plain value in one', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const id = randomUUID();
      await under.store.putAccount({ accountId: id, fields: { phone: fake('phone') }, at: T1 });
      const [row] = await under.sql(
        'SELECT email_ct, phone_ct FROM vault_accounts WHERE account_id = $1',
        [id],
      );
      assert.equal(row?.['email_ct'], null);
      assert.deepEqual(JSON.parse(String(row?.['phone_ct'])), fake('phone'));
      await assert.rejects(
        under.sql("UPDATE vault_accounts SET email_ct = 'jane@example.com' WHERE account_id = $1", [
          id,
        ]),
      );
      await assert.rejects(
        under.sql(`UPDATE vault_accounts SET email_ct = '{"email":"jane@example.com"}'`),
      );
    });

    it('claims a lookup digest once: created, exists-same, exists-other', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const { store } = under;
      const [a, b] = [randomUUID(), randomUUID()];
      for (const id of [a, b]) await store.putAccount({ accountId: id, fields: {}, at: T1 });
      assert.equal(await store.setLookup('email', 'd-1', a), 'created');
      assert.equal(await store.setLookup('email', 'd-1', a), 'exists-same');
      assert.equal(await store.setLookup('email', 'd-1', b), 'exists-other');
      // The same digest under another kind is another lookup.
      assert.equal(await store.setLookup('loyalty', 'd-1', b), 'created');
      assert.equal(await store.findByLookup('email', 'd-1'), a);
      assert.equal(await store.findByLookup('loyalty', 'd-1'), b);
      assert.equal(await store.findByLookup('payment-method', 'd-1'), undefined);
      await assert.rejects(
        store.setLookup('email', 'd-2', randomUUID()),
        rejectsWith('unknown-account'),
      );
    });

    it('adds a payment method once', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const { store } = under;
      const id = randomUUID();
      await store.putAccount({ accountId: id, fields: {}, at: T1 });
      const method = { accountId: id, methodDigest: 'pm-1', methodRef: fake('pm-1'), addedAt: T1 };
      assert.equal(await store.addPaymentMethod(method), true);
      assert.equal(await store.addPaymentMethod({ ...method, addedAt: T2 }), false);
      const second = { ...method, methodDigest: 'pm-2', methodRef: fake('pm-2'), addedAt: T2 };
      assert.equal(await store.addPaymentMethod(second), true);
      assert.deepEqual(await store.paymentMethods(id), [method, second]);
    });

    it('marks an account erased: lookups and digests gone, every ciphertext left in place', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const { store } = under;
      const id = randomUUID();
      const fields = { email: fake('email'), last_name: fake('last') };
      await store.putAccount({ accountId: id, fields, at: T1 });
      await store.setLookup('email', 'd-email', id);
      await store.setLookup('payment-method', 'pm-1', id);
      await store.addPaymentMethod({
        accountId: id,
        methodDigest: 'pm-1',
        methodRef: fake('pm'),
        addedAt: T1,
      });

      assert.equal(await store.markErased(id, T2), true);
      assert.equal(await store.markErased(id, T2), false);
      assert.equal(await store.findByLookup('email', 'd-email'), undefined);
      assert.equal(await store.findByLookup('payment-method', 'pm-1'), undefined);
      assert.deepEqual(await store.getAccount(id), {
        accountId: id,
        region: 'us',
        fields,
        createdAt: T1,
        updatedAt: T2,
        erasedAt: T2,
      });
      assert.deepEqual(await store.paymentMethods(id), [
        { accountId: id, methodDigest: '', methodRef: fake('pm'), addedAt: T1 },
      ]);
      const [row] = await under.sql(
        'SELECT email_ct, last_name_ct FROM vault_accounts WHERE account_id = $1',
        [id],
      );
      assert.deepEqual(JSON.parse(String(row?.['email_ct'])), fake('email'));
      assert.deepEqual(JSON.parse(String(row?.['last_name_ct'])), fake('last'));
      assert.deepEqual(await under.sql('SELECT * FROM vault_lookups'), []);
      assert.deepEqual(await store.count(), { accounts: 1, erased: 1 });
    });

    it('deletes accounts erased before a cutoff, with their payment methods, and only those', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const { store } = under;
      const [early, late, live] = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of [early, late, live]) {
        await store.putAccount({ accountId: id, fields: { email: fake(id) }, at: T1 });
        await store.addPaymentMethod({
          accountId: id,
          methodDigest: `pm-${id}`,
          methodRef: fake('pm'),
          addedAt: T1,
        });
      }
      await store.markErased(early, T1);
      await store.markErased(late, T2);
      assert.equal(await store.countErasedBefore(T1), 0, 'the cutoff itself is kept');
      assert.equal(await store.countErasedBefore(T2), 1);
      assert.equal(await store.purgeErasedBefore(T2), 1);
      assert.equal(await store.getAccount(early), undefined);
      assert.deepEqual(await store.paymentMethods(early), []);
      assert.ok(await store.getAccount(late));
      assert.equal((await store.paymentMethods(live)).length, 1);
      assert.equal(await store.purgeErasedBefore(T2), 0, 'a second run does nothing');
      assert.deepEqual(await store.count(), { accounts: 2, erased: 1 });
    });

    it('takes no new data for an erased account', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const { store } = under;
      const id = randomUUID();
      await store.putAccount({ accountId: id, fields: { email: fake('email') }, at: T1 });
      await store.markErased(id, T2);
      const erased = rejectsWith('account-erased');
      await assert.rejects(
        store.putAccount({ accountId: id, fields: { email: fake('new') }, at: T2 }),
        erased,
      );
      await assert.rejects(store.setLookup('email', 'd', id), erased);
      const method = { accountId: id, methodDigest: 'pm', methodRef: fake('pm'), addedAt: T2 };
      await assert.rejects(store.addPaymentMethod(method), erased);
      assert.deepEqual((await store.getAccount(id))?.fields, { email: fake('email') });
    });

    it('lists account ids in pages, in order, and counts them', async (t) => {
      const under = await open(t, 'us');
      if (!under) return;
      const { store } = under;
      const ids = Array.from({ length: 5 }, () => randomUUID()).sort();
      for (const id of ids) await store.putAccount({ accountId: id, fields: {}, at: T1 });
      await store.markErased(ids[1]!, T2);
      const first = await store.listAccountIds({ limit: 2 });
      const second = await store.listAccountIds({ afterId: first.at(-1)!, limit: 2 });
      const third = await store.listAccountIds({ afterId: second.at(-1)!, limit: 2 });
      assert.deepEqual([...first, ...second, ...third], ids);
      assert.equal(third.length, 1);
      assert.deepEqual(await store.listAccountIds(), ids);
      assert.deepEqual(await store.count(), { accounts: 5, erased: 1 });
    });

    it('keeps regions apart: an account put in eu is not found in us', async (t) => {
      const eu = await open(t, 'eu');
      const us = await open(t, 'us');
      if (!eu || !us) return;
      const id = randomUUID();
      await eu.store.putAccount({ accountId: id, fields: { email: fake('e') }, at: T1 });
      await eu.store.setLookup('email', 'd-eu', id);
      assert.equal((await eu.store.getAccount(id))?.region, 'eu');
      assert.equal(await us.store.getAccount(id), undefined);
      assert.equal(await us.store.findByLookup('email', 'd-eu'), undefined);
      assert.deepEqual(await us.store.count(), { accounts: 0, erased: 0 });
    });

    it("refuses to open one region's database as the other region", async (t) => {
      const under = await open(t, 'eu');
      if (!under) return;
      await assert.rejects(under.openAs('us'), rejectsWith('vault-region-mismatch'));
      assert.equal(under.store.region, 'eu');
      assert.deepEqual(await under.store.count(), { accounts: 0, erased: 0 });
    });
  });
}
