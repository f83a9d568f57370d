import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  credentialAad,
  openCredential,
  rawPublicKey,
  sealCredential,
  x25519PrivateKey,
} from './credential-seal.js';

const privateKey = randomBytes(32);
const recipient = {
  kid: 'seal-1',
  publicKey: rawPublicKey(createPublicKey(x25519PrivateKey(privateKey))),
};
const aad = credentialAad('CART-0001', '7b0c8a1e-3f2d-4c5b-9a8e-1d2c3b4a5f60', 'loyalty');

describe('credential seal', () => {
  it('opens with the service key and the same binding', () => {
    const sealed = sealCredential(recipient, '6012345678901234', aad);
    assert.equal(openCredential(privateKey, sealed, aad), '6012345678901234');
    assert.ok(!JSON.stringify(sealed).includes('6012345678901234'));
  });

  it('seals the same value differently every time', () => {
    const a = sealCredential(recipient, '6012345678901234', aad);
    const b = sealCredential(recipient, '6012345678901234', aad);
    assert.notEqual(a.ct, b.ct);
    assert.notEqual(a.epk, b.epk);
  });

  it('does not open in another session, for another method or with another key', () => {
    const sealed = sealCredential(recipient, '6012345678901234', aad);
    const other = credentialAad('CART-0001', '00000000-3f2d-4c5b-9a8e-1d2c3b4a5f60', 'loyalty');
    assert.equal(openCredential(privateKey, sealed, other), undefined);
    assert.equal(
      openCredential(
        privateKey,
        sealed,
        credentialAad('CART-0001', aad.split(':')[3]!, 'app-code'),
      ),
      undefined,
    );
    assert.equal(openCredential(randomBytes(32), sealed, aad), undefined);
  });

  it('does not open a tampered ciphertext', () => {
    const sealed = sealCredential(recipient, '6012345678901234', aad);
    const ct = Buffer.from(sealed.ct, 'base64url');
    ct[0] = ct[0]! ^ 1;
    assert.equal(
      openCredential(privateKey, { ...sealed, ct: ct.toString('base64url') }, aad),
      undefined,
    );
  });
});
