import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import type { EntityStore, PasskeyEnrolment } from './entity-store.js';

const T0 = Date.parse('2026-11-02T09:00:00.000Z');

function enrolment(
  person: Partial<PasskeyEnrolment['person']> & Pick<PasskeyEnrolment['person'], 'role'>,
  overrides: { jti?: string; credentialId?: string; at?: number } = {},
): PasskeyEnrolment {
  return {
    linkJti: overrides.jti ?? randomUUID(),
    linkExpiresAt: (overrides.at ?? T0) + 15 * 60_000,
    at: overrides.at ?? T0,
    person: {
      personId: randomUUID(),
      storeId: null,
      subject: null,
      name: null,
      ...person,
    },
    passkey: {
      credentialId: overrides.credentialId ?? randomUUID().replaceAll('-', ''),
      publicKey: 'pQECAyYgASFYIA',
      counter: 0,
      transports: ['usb', 'nfc'],
    },
  };
}

/** People, passkeys, console sessions and one-time links (entity-store.contract.ts runs these). */
export function consoleContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('consumes a sign-in link once, making the person it names and storing the passkey', async (t) => {
    const store = await open(t);
    if (!store) return;
    const first = enrolment({ role: 'staff', storeId: 'store-1', name: 'Ana' });
    assert.equal(await store.isLinkUsed(first.linkJti), false);
    const outcome = await store.enrolPasskey(first);
    assert.ok(outcome.enrolled);
    assert.deepEqual(outcome.person, {
      personId: first.person.personId,
      role: 'staff',
      storeId: 'store-1',
      subject: null,
      name: 'Ana',
      createdAt: new Date(T0).toISOString(),
      passkeys: 1,
    });
    assert.equal(await store.isLinkUsed(first.linkJti), true);
    const again = enrolment({ role: 'staff', storeId: 'store-1' }, { jti: first.linkJti });
    assert.deepEqual(await store.enrolPasskey(again), { enrolled: false, reason: 'link-used' });
    assert.equal(await store.findPerson({ personId: again.person.personId }), undefined);
    assert.deepEqual(await store.getPasskey(first.passkey.credentialId), {
      credentialId: first.passkey.credentialId,
      personId: first.person.personId,
      publicKey: first.passkey.publicKey,
      counter: 0,
      transports: ['usb', 'nfc'],
      createdAt: new Date(T0).toISOString(),
      lastUsedAt: null,
    });
  });

  it('adds a passkey to the person a handle names, and a new person for a link without one', async (t) => {
    const store = await open(t);
    if (!store) return;
    const alice = { role: 'ops', subject: 'alice', name: 'Alice' } as const;
    const first = await store.enrolPasskey(enrolment(alice));
    const second = await store.enrolPasskey(
      enrolment({ ...alice, name: 'Alice B.' }, { at: T0 + 1000 }),
    );
    assert.ok(first.enrolled && second.enrolled);
    assert.equal(second.person.personId, first.person.personId);
    assert.equal(second.person.name, 'Alice B.');
    assert.equal(second.person.passkeys, 2);
    const found = await store.findPerson({ role: 'ops', storeId: null, subject: 'alice' });
    assert.equal(found?.personId, first.person.personId);
    assert.equal(
      await store.findPerson({ role: 'staff', storeId: 'store-1', subject: 'alice' }),
      undefined,
      'a handle is per role and store',
    );
    const keys = await store.listPasskeys(first.person.personId);
    assert.deepEqual(
      keys.map((k) => k.createdAt),
      [new Date(T0).toISOString(), new Date(T0 + 1000).toISOString()],
    );

    const anonymous = await store.enrolPasskey(enrolment({ role: 'ops', name: 'Ops' }));
    const another = await store.enrolPasskey(enrolment({ role: 'ops', name: 'Ops' }));
    assert.ok(anonymous.enrolled && another.enrolled);
    assert.notEqual(anonymous.person.personId, another.person.personId);
    assert.equal(await store.findPerson({ personId: 'not-a-uuid' }), undefined);
  });

  it('refuses a credential registered before without using up the link', async (t) => {
    const store = await open(t);
    if (!store) return;
    const first = enrolment({ role: 'customer', subject: randomUUID() });
    assert.ok((await store.enrolPasskey(first)).enrolled);
    const replay = enrolment(
      { role: 'customer', subject: randomUUID() },
      { credentialId: first.passkey.credentialId },
    );
    assert.deepEqual(await store.enrolPasskey(replay), {
      enrolled: false,
      reason: 'passkey-taken',
    });
    assert.equal(await store.isLinkUsed(replay.linkJti), false);
  });

  it('moves a passkey counter only forward, and accepts an authenticator that counts nothing', async (t) => {
    const store = await open(t);
    if (!store) return;
    const counting = enrolment({ role: 'ops' });
    await store.enrolPasskey(counting);
    const id = counting.passkey.credentialId;
    assert.equal(await store.recordPasskeyUse(id, 5, T0 + 1000), true);
    assert.equal(await store.recordPasskeyUse(id, 5, T0 + 2000), false, 'a replayed counter');
    assert.equal(await store.recordPasskeyUse(id, 3, T0 + 2000), false, 'a cloned key');
    assert.equal(await store.recordPasskeyUse(id, 0, T0 + 2000), false);
    const used = await store.getPasskey(id);
    assert.equal(used?.counter, 5);
    assert.equal(used?.lastUsedAt, new Date(T0 + 1000).toISOString());
    const silent = enrolment({ role: 'ops' });
    await store.enrolPasskey(silent);
    assert.equal(await store.recordPasskeyUse(silent.passkey.credentialId, 0, T0), true);
    assert.equal(await store.recordPasskeyUse(silent.passkey.credentialId, 0, T0 + 1), true);
    assert.equal(await store.recordPasskeyUse('nobody', 1, T0), false);
  });

  it('keeps console sessions by hash with their person, touch, freshness and end', async (t) => {
    const store = await open(t);
    if (!store) return;
    const e = enrolment({ role: 'staff', storeId: 'store-2', name: 'Ben' });
    await store.enrolPasskey(e);
    const idHash = 'a'.repeat(64);
    await store.openConsoleSession({
      idHash,
      personId: e.person.personId,
      csrfToken: 'csrf-1',
      at: T0,
      expiresAt: T0 + 12 * 3_600_000,
      freshUntil: T0 + 300_000,
    });
    const session = await store.getConsoleSession(idHash);
    assert.deepEqual(
      { ...session, person: session?.person.personId },
      {
        idHash,
        person: e.person.personId,
        csrfToken: 'csrf-1',
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: T0 + 12 * 3_600_000,
        freshUntil: T0 + 300_000,
      },
    );
    assert.equal(session?.person.storeId, 'store-2');
    await store.touchConsoleSession(idHash, T0 + 60_000);
    await store.touchConsoleSession(idHash, T0 + 30_000);
    assert.equal((await store.getConsoleSession(idHash))?.lastSeenAt, T0 + 60_000);
    assert.equal(await store.markConsoleSessionFresh(idHash, T0 + 900_000), true);
    assert.equal((await store.getConsoleSession(idHash))?.freshUntil, T0 + 900_000);
    assert.equal(await store.markConsoleSessionFresh('b'.repeat(64), T0), false);
    assert.equal(await store.endConsoleSession(idHash), true);
    assert.equal(await store.endConsoleSession(idHash), false);
    assert.equal(await store.getConsoleSession(idHash), undefined);
  });

  it('drops sessions past their absolute end when another opens', async (t) => {
    const store = await open(t);
    if (!store) return;
    const e = enrolment({ role: 'ops' });
    await store.enrolPasskey(e);
    const session = (idHash: string, at: number) => ({
      idHash,
      personId: e.person.personId,
      csrfToken: 'x',
      at,
      expiresAt: at + 1000,
      freshUntil: null,
    });
    await store.openConsoleSession(session('c'.repeat(64), T0));
    await store.openConsoleSession(session('d'.repeat(64), T0 + 5000));
    assert.equal(await store.getConsoleSession('c'.repeat(64)), undefined);
    assert.equal((await store.getConsoleSession('d'.repeat(64)))?.freshUntil, null);
  });

  it("removes a customer's console person, passkeys and sessions when the account is forgotten", async (t) => {
    const store = await open(t);
    if (!store) return;
    const { customerId } = await store.createAccount({ kind: 'app-user', region: 'eu' });
    const e = enrolment({ role: 'customer', subject: customerId });
    await store.enrolPasskey(e);
    await store.openConsoleSession({
      idHash: 'e'.repeat(64),
      personId: e.person.personId,
      csrfToken: 'x',
      at: T0,
      expiresAt: T0 + 86_400_000,
      freshUntil: null,
    });
    await store.forgetAccount(customerId, T0 + 1000);
    assert.equal(await store.findPerson({ personId: e.person.personId }), undefined);
    assert.equal(await store.getPasskey(e.passkey.credentialId), undefined);
    assert.equal(await store.getConsoleSession('e'.repeat(64)), undefined);
  });
}
