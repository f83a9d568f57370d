import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitFrame } from '../../contract/index.js';
import { testCart } from '../../../test-support/test-cart.js';
import { VirtualClock } from '../clock/virtual-clock.js';

describe("the cart's own clock", () => {
  it('stamps messages and proximity proofs with its own clock while its world runs on simulated time', async (t) => {
    // The simulated world is three hours ahead; the cart's clock reads the wall clock.
    const clock = new VirtualClock(Date.parse('2026-11-23T12:00:00.000Z'));
    const wall = Date.parse('2026-11-23T09:00:00.000Z');
    const { cart, broker } = await testCart(t, { clock, extra: { deviceClock: () => wall } });
    await cart.powerOn();
    await cart.flush(2000);
    assert.equal(broker.of('boot')[0]?.ts, '2026-11-23T09:00:00.000Z');

    // Injected skew still adds on top of the cart's clock.
    cart.faults.setClockSkew(5000);
    const frame = splitFrame(Buffer.from(cart.proximityProof(), 'base64url'));
    const proof = JSON.parse(Buffer.from(frame!.body).toString('utf8')) as { issued_at: string };
    assert.equal(proof.issued_at, '2026-11-23T09:00:05.000Z');
  });
});
