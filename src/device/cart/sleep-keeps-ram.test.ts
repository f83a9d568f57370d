import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceMessage } from '../../contract/index.js';
import { SHELF, testCart, until } from '../../../test-support/test-cart.js';

const CARD = { kind: 'payment', cardId: 'card-sleep-1' } as const;

// Found by the store-offline-hour fault scenario (decision 050): a paid session-end whose
// checkout post failed as the store's uplink went down waits in RAM; an hour offline the cart
// fell asleep and sleep dropped it as a power loss would, leaving a hole in the cart's counters.
describe('a sleeping cart keeps what waits in RAM', () => {
  it('sends a paid session-end held in RAM once the cart wakes, after sleeping offline', async (t) => {
    const lost: DeviceMessage[] = [];
    const { cart, broker, api } = await testCart(t, {
      speed: 1200,
      // Asleep a simulated 20 minutes (one real second) after the customer leaves.
      timing: { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 1_200_000 },
      observer: { lost: (m) => lost.push(m) },
    });
    await cart.powerOn();
    await cart.startAsGuest();
    for (let i = 0; i < 20 && !(await cart.scanItem(SHELF.products[0]!)).ok; i++);
    let release!: () => void;
    api.checkoutGate = new Promise((r) => (release = r));
    api.checkoutFailure = 'network';
    const paying = cart.checkout(CARD);
    await until(() => api.posts.length === 1, 'the post in flight');
    cart.faults.setWifi(false);
    cart.faults.setCellular(false);
    await until(() => cart.link === 'none', 'offline');
    release();
    const paid = await paying;
    assert.equal(paid.status, 'authorized');
    assert.equal(paid.delivery, 'queued', 'the paid end waits in RAM for a link');

    await until(() => cart.state === 'sleep', 'asleep with the session-end still queued', 20_000);
    // Falling asleep gives the last messages half a real second before the radio goes off.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(cart.state, 'sleep', 'still asleep when the link returns');
    cart.faults.setWifi(true);
    cart.faults.setCellular(true);
    await cart.tap({ kind: 'loyalty', number: '6012345678901234' });
    assert.ok(await cart.flush(5000), 'the queue empties once awake');
    assert.deepEqual(lost, [], 'sleep is not a power loss');
    const ends = broker.of('session-end');
    assert.equal(ends.length, 1);
    assert.equal(ends[0]?.payment.status, 'authorized');
  });
});
