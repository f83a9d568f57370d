import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  PROXIMITY_PROOF_MAX_AGE_MS,
  splitFrame,
  validateDocument,
  verifyBody,
  type ProximityProof,
} from '../../contract/index.js';
import { testCart } from '../../../test-support/test-cart.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { SoftwareKeystore } from '../secure-element/software-keystore.js';

/** What a staff tablet does with the frame the cart broadcast. */
function read(encoded: string, publicKeySpki: Uint8Array) {
  const parts = splitFrame(Buffer.from(encoded, 'base64url'));
  assert.ok(parts);
  const key = createPublicKey({ key: Buffer.from(publicKeySpki), format: 'der', type: 'spki' });
  const proof = validateDocument<ProximityProof>(
    'proximity',
    JSON.parse(Buffer.from(parts.body).toString('utf8')),
  );
  assert.ok(proof.ok, proof.ok ? '' : proof.detail);
  return { proof: proof.value, verified: verifyBody(parts.body, parts.signature, key) };
}

describe('proximity proof', () => {
  it("verifies with the cart's public key, is fresh by the cart's clock and unique per call", async (t) => {
    const clock = new VirtualClock(Date.parse('2026-11-23T09:40:00.000Z'));
    const { cart, dir } = await testCart(t, { clock });
    assert.throws(() => cart.proximityProof(), /without power/);
    await cart.powerOn();
    cart.faults.setClockSkew(5_000);
    const spki = (await SoftwareKeystore.open(join(dir, 'se')))!.publicKeySpki();

    const first = read(cart.proximityProof(), spki);
    assert.ok(first.verified);
    assert.equal(first.proof.device_id, cart.deviceId);
    assert.equal(first.proof.issued_at, '2026-11-23T09:40:05.000Z', "the cart's own clock");
    assert.equal(
      Date.parse(first.proof.expires_at) - Date.parse(first.proof.issued_at),
      PROXIMITY_PROOF_MAX_AGE_MS,
    );
    assert.equal(Buffer.from(first.proof.nonce, 'base64url').length, 16);

    const second = read(cart.proximityProof(), spki);
    assert.ok(second.verified);
    assert.notEqual(second.proof.nonce, first.proof.nonce);

    // Tampered: another device id under the same signature does not verify.
    const parts = splitFrame(Buffer.from(cart.proximityProof(), 'base64url'))!;
    const forged = Buffer.from(parts.body).toString('utf8').replace(cart.deviceId, 'CART-6666');
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    assert.equal(verifyBody(Buffer.from(forged), parts.signature, key), false);
  });
});

describe('proximity code on the display', () => {
  it('shows a fresh proof as a QR code, replaced by the next and gone with the customer', async (t) => {
    const clock = new VirtualClock(Date.parse('2026-11-23T09:40:00.000Z'));
    const { cart, dir } = await testCart(t, { clock });
    assert.throws(() => cart.showProximityCode(), /without power/);
    const unpowered = cart.view.proximityCode;
    assert.equal(unpowered, undefined);
    await cart.powerOn();
    const spki = (await SoftwareKeystore.open(join(dir, 'se')))!.publicKeySpki();

    const text = cart.showProximityCode();
    const shown = cart.view.proximityCode;
    assert.equal(shown?.text, text, 'what the QR code carries is what the tablet sends');
    const { proof, verified } = read(text, spki);
    assert.ok(verified);
    assert.equal(proof.device_id, cart.deviceId);
    assert.equal(shown?.expiresAt, proof.expires_at);

    const next = cart.showProximityCode();
    assert.notEqual(next, text);
    assert.equal(cart.view.proximityCode?.text, next);
    cart.display.reset('welcome');
    const afterCustomer = cart.view.proximityCode;
    assert.equal(afterCustomer, undefined);
  });
});
