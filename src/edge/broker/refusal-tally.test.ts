import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefusalTally } from './refusal-tally.js';

describe('RefusalTally', () => {
  it('counts refusals per presented identity with their reasons, keeping only recent times', () => {
    const tally = new RefusalTally({ windowMs: 1_000 });
    tally.record({ device_id: 'CART-1', reason: 'revoked' }, 0);
    tally.record({ device_id: 'CART-1', reason: 'revoked' }, 500);
    tally.record({ device_id: 'CART-1', reason: 'ERR_SSL' }, 1_200);
    tally.record({ reason: 'refused' }, 1_300);
    const [cart, anonymous] = tally.summaries(1_400);
    assert.deepEqual(cart, {
      deviceId: 'CART-1',
      count: 3,
      firstAt: 0,
      lastAt: 1_200,
      reasons: { revoked: 2, ERR_SSL: 1 },
      recent: [500, 1_200],
    });
    assert.equal(anonymous!.deviceId, undefined);
    assert.equal(anonymous!.count, 1);
  });

  it('forgets the identity refused least recently once full, so a flood cannot grow it', () => {
    const tally = new RefusalTally({ maxIdentities: 2, maxRecent: 3 });
    tally.record({ device_id: 'A', reason: 'r' }, 1);
    tally.record({ device_id: 'B', reason: 'r' }, 2);
    tally.record({ device_id: 'A', reason: 'r' }, 3);
    tally.record({ device_id: 'C', reason: 'r' }, 4);
    for (let t = 5; t < 50; t++) tally.record({ device_id: 'C', reason: 'r' }, t);
    const ids = tally.summaries(50).map((s) => s.deviceId);
    assert.deepEqual(ids.sort(), ['A', 'C']);
    assert.equal(tally.summaries(50).find((s) => s.deviceId === 'C')!.recent.length, 3);
  });
});
