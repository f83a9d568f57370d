import assert from 'node:assert/strict';
import { KeyObject } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { generateKeys } from '../../../test-support/identity.js';
import { proximityProof } from '../../../test-support/proximity.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { PROXIMITY_PROOF_MAX_AGE_MS } from '../../contract/index.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import { openEntityStore } from '../../stores/entities/open-entity-store.js';
import type { KnownDevice } from '../../pipeline/ingest/device-directory.js';
import { ProximityVerifier, type ProximityCheck } from './proximity.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const CART = 'CART-0001';

async function deviceKey(): Promise<{ privateKey: KeyObject; spki: string }> {
  const keys = await generateKeys('P-256');
  const spki = KeyObject.from(keys.publicKey).export({ format: 'der', type: 'spki' });
  return { privateKey: KeyObject.from(keys.privateKey), spki: spki.toString('base64') };
}

/** A registry that knows CART-0001 (by `spki`) and CART-0002 (another key). */
function directory(spki: string, other: string, revoked = false) {
  const device = (deviceId: string, key: string): KnownDevice => ({
    deviceId,
    storeId: 'berlin-1',
    deviceClass: 'cart',
    publicKeys: [key],
    revoked,
  });
  return {
    lookup: (id: string) =>
      Promise.resolve(
        id === CART ? device(CART, spki) : id === 'CART-0002' ? device(id, other) : undefined,
      ),
  };
}

/** Nonces in memory, for the tests that are not about durability. */
function memoryNonces(): Pick<EntityStore, 'acceptProximityNonce'> {
  const seen = new Set<string>();
  return {
    acceptProximityNonce: (deviceId, nonce) => {
      const key = `${deviceId}/${nonce}`;
      const fresh = !seen.has(key);
      seen.add(key);
      return Promise.resolve(fresh);
    },
  };
}

function refusal(check: ProximityCheck): string {
  return check.ok ? 'accepted' : check.code;
}

describe('proximity proof verification', () => {
  async function setup(options: { revoked?: boolean } = {}) {
    const cart = await deviceKey();
    const other = await deviceKey();
    const verifier = new ProximityVerifier({
      devices: directory(cart.spki, other.spki, options.revoked),
      nonces: memoryNonces(),
      now: () => NOW,
    });
    return { cart, other, verifier };
  }

  it('accepts a fresh proof signed by the cart it names', async () => {
    const { cart, verifier } = await setup();
    const check = await verifier.verify(
      CART,
      proximityProof(CART, cart.privateKey, { issuedAt: NOW - 1000 }),
    );
    assert.equal(refusal(check), 'accepted');
    assert.equal(check.ok && check.proof.device_id, CART);
  });

  it('asks for a proof when none is given', async () => {
    const { verifier } = await setup();
    assert.equal(refusal(await verifier.verify(CART, undefined)), 'proximity-required');
    assert.equal(refusal(await verifier.verify(CART, '')), 'proximity-required');
  });

  it('refuses a proof from another cart as the wrong cart', async () => {
    const { other, verifier } = await setup();
    const proof = proximityProof('CART-0002', other.privateKey, { issuedAt: NOW });
    assert.equal(refusal(await verifier.verify(CART, proof)), 'proximity-wrong-cart');
  });

  it('refuses an expired proof', async () => {
    const { cart, verifier } = await setup();
    const proof = proximityProof(CART, cart.privateKey, { issuedAt: NOW - 61_000 });
    assert.equal(refusal(await verifier.verify(CART, proof)), 'proximity-expired');
  });

  it('refuses a proof issued in the future beyond the clock skew, and tolerates a little', async () => {
    const { cart, verifier } = await setup();
    const far = proximityProof(CART, cart.privateKey, { issuedAt: NOW + 6000 });
    assert.equal(refusal(await verifier.verify(CART, far)), 'proximity-invalid');
    const near = proximityProof(CART, cart.privateKey, { issuedAt: NOW + 4000 });
    assert.equal(refusal(await verifier.verify(CART, near)), 'accepted');
  });

  it('refuses a proof that lives longer than the contract allows', async () => {
    const { cart, verifier } = await setup();
    const long = proximityProof(CART, cart.privateKey, {
      issuedAt: NOW,
      lifetimeMs: PROXIMITY_PROOF_MAX_AGE_MS + 1,
    });
    assert.equal(refusal(await verifier.verify(CART, long)), 'proximity-invalid');
    const backwards = proximityProof(CART, cart.privateKey, { issuedAt: NOW, lifetimeMs: -1000 });
    assert.equal(refusal(await verifier.verify(CART, backwards)), 'proximity-invalid');
  });

  it("refuses a proof not signed by the cart's registered key, or tampered with", async () => {
    const { other, cart, verifier } = await setup();
    const forged = proximityProof(CART, other.privateKey, { issuedAt: NOW });
    assert.equal(refusal(await verifier.verify(CART, forged)), 'proximity-invalid');
    const bytes = Buffer.from(
      proximityProof(CART, cart.privateKey, { issuedAt: NOW }),
      'base64url',
    );
    const body = bytes.subarray(0, bytes.length - 64).toString('utf8');
    const changed = Buffer.concat([
      Buffer.from(
        body.replace(/"issued_at":"[^"]+"/, `"issued_at":"${new Date(NOW - 500).toISOString()}"`),
      ),
      bytes.subarray(bytes.length - 64),
    ]);
    assert.equal(
      refusal(await verifier.verify(CART, changed.toString('base64url'))),
      'proximity-invalid',
    );
  });

  it('refuses garbage, a malformed body and a revoked cart as invalid', async () => {
    const { cart, verifier } = await setup();
    for (const junk of ['not base64!', 'AAAA', Buffer.alloc(100, 7).toString('base64url')]) {
      assert.equal(refusal(await verifier.verify(CART, junk)), 'proximity-invalid', junk);
    }
    const extra = proximityProof(CART, cart.privateKey, {
      issuedAt: NOW,
      fields: { nonce: 'short' },
    });
    assert.equal(refusal(await verifier.verify(CART, extra)), 'proximity-invalid');
    const revoked = await setup({ revoked: true });
    const proof = proximityProof(CART, revoked.cart.privateKey, { issuedAt: NOW });
    assert.equal(refusal(await revoked.verifier.verify(CART, proof)), 'proximity-invalid');
  });

  it('refuses a replayed proof, also from a new verifier after the store was reopened', async (t: TestContext) => {
    const dataDir = await tempDir(t, 'proximity-');
    const cart = await deviceKey();
    const devices = directory(cart.spki, cart.spki);
    const first = await openEntityStore({ dataDir });
    const proof = proximityProof(CART, cart.privateKey, { issuedAt: NOW });
    const before = new ProximityVerifier({ devices, nonces: first, now: () => NOW });
    assert.equal(refusal(await before.verify(CART, proof)), 'accepted');
    assert.equal(refusal(await before.verify(CART, proof)), 'proximity-replayed');
    await first.close();

    const second = await openEntityStore({ dataDir });
    t.after(() => second.close());
    const after = new ProximityVerifier({ devices, nonces: second, now: () => NOW + 1000 });
    assert.equal(refusal(await after.verify(CART, proof)), 'proximity-replayed');
    const fresh = proximityProof(CART, cart.privateKey, { issuedAt: NOW });
    assert.equal(refusal(await after.verify(CART, fresh)), 'accepted');
  });

  it('keeps a nonce for a proof refused for another reason, so it can still be used once', async () => {
    const { cart, verifier } = await setup();
    const proof = proximityProof(CART, cart.privateKey, { issuedAt: NOW });
    assert.equal(refusal(await verifier.verify('CART-0002', proof)), 'proximity-wrong-cart');
    assert.equal(refusal(await verifier.verify(CART, proof)), 'accepted');
  });
});
