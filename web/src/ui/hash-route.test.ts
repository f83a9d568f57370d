import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashOf, parseHash } from './hash-route.js';

describe('surface views in the fragment', () => {
  it('reads the view and its argument, with a fallback for none', () => {
    assert.deepEqual(parseHash('', 'carts'), { view: 'carts', arg: null });
    assert.deepEqual(parseHash('#alerts', 'carts'), { view: 'alerts', arg: null });
    assert.deepEqual(parseHash('#cart/CART-0001', 'carts'), { view: 'cart', arg: 'CART-0001' });
    assert.deepEqual(parseHash('#/device/a%2Fb', 'fleet'), { view: 'device', arg: 'a/b' });
  });

  it('writes what it reads', () => {
    assert.deepEqual(parseHash(hashOf('device', 'a/b c'), 'x'), { view: 'device', arg: 'a/b c' });
    assert.equal(hashOf('rollouts'), '#rollouts');
  });
});
