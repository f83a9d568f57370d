import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { LocalKeyring } from '../keys/local-keyring.js';
import { FieldCipher, accountKeyName } from './field-cipher.js';

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(isFailure(error), String(error));
    assert.equal(error.code, code);
    return true;
  };
}

async function cipher(t: TestContext) {
  const dir = await tempDir(t);
  return { dir, cipher: new FieldCipher(new LocalKeyring(dir)) };
}

const person = {
  email: 'zoë.quartermaine@example.org',
  first_name: 'Zoë',
  last_name: 'Quartermaine',
  phone: '+1 415 555 0199',
};

describe('FieldCipher', () => {
  it('seals fields and opens the ones asked for; absent fields stay absent', async (t) => {
    const { cipher: c } = await cipher(t);
    const id = randomUUID();
    const sealed = await c.sealFields('eu', id, person);
    assert.deepEqual(Object.keys(sealed).sort(), Object.keys(person).sort());
    for (const s of Object.values(sealed)) assert.ok(!JSON.stringify(s).includes('Quartermaine'));
    assert.deepEqual(await c.openFields('eu', id, sealed, ['first_name', 'address']), {
      first_name: 'Zoë',
    });
    assert.deepEqual(
      await c.openFields('eu', id, sealed, ['email', 'first_name', 'last_name', 'phone']),
      person,
    );
  });

  it('seals the same value twice into different ciphertexts', async (t) => {
    const { cipher: c } = await cipher(t);
    const id = randomUUID();
    const a = await c.sealFields('us', id, { email: person.email });
    const b = await c.sealFields('us', id, { email: person.email });
    assert.notEqual(a.email?.ct, b.email?.ct);
    assert.notEqual(a.email?.iv, b.email?.iv);
  });

  it('refuses a ciphertext moved to another field, account or region', async (t) => {
    const { cipher: c } = await cipher(t);
    const [a, b] = [randomUUID(), randomUUID()];
    const { email } = await c.sealFields('eu', a, { email: person.email });
    await c.sealFields('eu', b, { email: 'other@example.org' }); // b has a key of its own
    const failed = rejectsWith('decrypt-failed');
    await assert.rejects(c.openFields('eu', a, { phone: email! }, ['phone']), failed);
    await assert.rejects(c.openFields('eu', b, { email: email! }, ['email']), failed);
    await assert.rejects(c.openFields('us', a, { email: email! }, ['email']), failed);
    const tampered = { ...email!, ct: Buffer.from('x' + person.email).toString('base64') };
    await assert.rejects(c.openFields('eu', a, { email: tampered }, ['email']), failed);
  });

  it('seals payment references under their own purpose', async (t) => {
    const { cipher: c } = await cipher(t);
    const id = randomUUID();
    const ref = await c.sealPaymentRef('us', id, 'pm_1Q2w3E4r');
    assert.equal(await c.openPaymentRef('us', id, ref), 'pm_1Q2w3E4r');
    await assert.rejects(
      c.openFields('us', id, { loyalty_number: ref }, ['loyalty_number']),
      rejectsWith('decrypt-failed'),
    );
  });

  it('keys each account by its own data key, whatever the case of its id', async (t) => {
    const { dir, cipher: c } = await cipher(t);
    const id = randomUUID();
    const sealed = await c.sealFields('us', id.toUpperCase(), { phone: person.phone });
    assert.deepEqual(await c.openFields('us', id, sealed, ['phone']), { phone: person.phone });
    await access(join(dir, 'keys', 'data', `${accountKeyName(id)}.json`));
  });

  it('after a shred, the sealed values remain but opening them fails with account-erased', async (t) => {
    const { cipher: c } = await cipher(t);
    const [gone, kept] = [randomUUID(), randomUUID()];
    const sealed = await c.sealFields('eu', gone, person);
    const other = await c.sealFields('eu', kept, { email: 'kept@example.org' });
    const ref = await c.sealPaymentRef('eu', gone, 'pm_9');
    assert.equal(await c.shred(gone), true);
    assert.equal(await c.shred(gone), false);
    const erased = rejectsWith('account-erased');
    assert.equal(Object.keys(sealed).length, 4);
    await assert.rejects(c.openFields('eu', gone, sealed, ['email']), erased);
    await assert.rejects(c.openPaymentRef('eu', gone, ref), erased);
    await assert.rejects(c.sealFields('eu', gone, { email: person.email }), erased);
    assert.deepEqual(await c.openFields('eu', kept, other, ['email']), {
      email: 'kept@example.org',
    });
  });

  it('digests lookups with a key: normalised, per kind, never the value', async (t) => {
    const { cipher: c } = await cipher(t);
    const email = await c.lookupDigest('email', 'jane.doe@example.org');
    assert.match(email, /^[0-9a-f]{64}$/);
    assert.equal(await c.lookupDigest('email', '  Jane.Doe@Example.ORG '), email);
    assert.notEqual(await c.lookupDigest('payment-method', 'jane.doe@example.org'), email);
    const loyalty = await c.lookupDigest('loyalty', ' LC-0042 ');
    assert.equal(await c.lookupDigest('loyalty', 'LC-0042'), loyalty);
    assert.notEqual(await c.lookupDigest('loyalty', 'lc-0042'), loyalty);
    // Keyed: another keyring digests the same value differently, so digests cannot be guessed.
    const { cipher: elsewhere } = await cipher(t);
    assert.notEqual(await elsewhere.lookupDigest('email', 'jane.doe@example.org'), email);
  });

  it('refuses a malformed account id, an unknown field or an unknown region', async (t) => {
    const { cipher: c } = await cipher(t);
    await assert.rejects(
      c.sealFields('us', '../master', { email: 'x' }),
      rejectsWith('invalid-account-id'),
    );
    const bad = { ssn: 'x' } as unknown as Record<'email', string>;
    await assert.rejects(c.sealFields('us', randomUUID(), bad), rejectsWith('invalid-vault-field'));
    const mars = 'mars' as unknown as 'us';
    await assert.rejects(
      c.sealFields(mars, randomUUID(), { email: 'x' }),
      rejectsWith('invalid-region'),
    );
  });
});
