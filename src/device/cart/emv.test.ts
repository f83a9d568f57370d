import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentToken, randomAppCode, randomLoyaltyNumber, readTap, StoreTerminal } from './emv.js';
import { mulberry32 } from '../random.js';

describe('NFC/EMV', () => {
  it('turns a payment card into a stable opaque token that does not contain the card', () => {
    const a = paymentToken('card-4111111111111111');
    assert.match(a, /^tok_[A-Za-z0-9]{16,64}$/);
    assert.equal(paymentToken('card-4111111111111111'), a, 'stable per card');
    assert.notEqual(paymentToken('card-2'), a);
    assert.ok(!a.includes('4111'));
  });

  it('reads loyalty numbers of 8–19 digits and app codes of 6–12 characters', () => {
    const random = mulberry32(2);
    const loyalty = randomLoyaltyNumber(random);
    assert.deepEqual(readTap({ kind: 'loyalty', number: loyalty }), {
      method: 'loyalty',
      value: loyalty,
    });
    assert.equal(readTap({ kind: 'loyalty', number: '1234567' }), undefined);
    const code = randomAppCode(random);
    assert.match(code, /^[A-Z0-9]{6,12}$/);
    assert.equal(readTap({ kind: 'app-code', code: 'abc' }), undefined);
    assert.deepEqual(readTap({ kind: 'payment', cardId: 'card-1' }), {
      method: 'payment-token',
      value: paymentToken('card-1'),
    });
  });

  it('authorizes with a token the session-end accepts, or declines at the injected rate', () => {
    const terminal = new StoreTerminal(mulberry32(5));
    const ok = terminal.authorize(1000, { kind: 'payment', cardId: 'x' });
    assert.equal(ok.status, 'authorized');
    assert.match((ok as { authToken: string }).authToken, /^[A-Za-z0-9_-]{8,128}$/);
    terminal.setDeclineRate(1);
    assert.equal(terminal.authorize(1000, { kind: 'payment', cardId: 'x' }).status, 'declined');
  });
});
