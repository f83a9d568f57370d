import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardDataMessage, cardNumberIn, findCardData, passesLuhn } from './card-data-guard.js';

/** `body` with the check digit that makes it pass Luhn. */
function withCheckDigit(body: string): string {
  const digit = [...'0123456789'].find((d) => passesLuhn(body + d));
  assert.ok(digit !== undefined);
  return body + digit;
}

/** The same number with a wrong check digit. */
function broken(pan: string): string {
  return pan.slice(0, -1) + String((Number(pan.at(-1)) + 1) % 10);
}

const VISA = '4111111111111111';
const MASTERCARD = '5555555555554444';

describe('card-data guard', () => {
  it('passes the Luhn check for test card numbers and fails it for one wrong digit', () => {
    for (const pan of [VISA, MASTERCARD, '378282246310005', '4222222222222']) {
      assert.equal(passesLuhn(pan), true, pan);
      assert.equal(passesLuhn(broken(pan)), false, broken(pan));
    }
    assert.equal(passesLuhn(''), false);
    assert.equal(passesLuhn('41x1'), false);
  });

  it('finds 13 to 19 digits that pass Luhn, and neither 12 nor 20', () => {
    const thirteen = withCheckDigit('422222222222');
    const nineteen = withCheckDigit('411111111111111111');
    assert.equal(thirteen.length, 13);
    assert.equal(nineteen.length, 19);
    assert.equal(cardNumberIn(thirteen), '13 digits that pass the Luhn check');
    assert.equal(cardNumberIn(nineteen), '19 digits that pass the Luhn check');
    assert.equal(cardNumberIn(withCheckDigit('42222222222')), undefined, '12 digits');
    assert.equal(cardNumberIn(withCheckDigit('4111111111111111111')), undefined, '20 digits');
    assert.equal(cardNumberIn(broken(VISA)), undefined, 'fails Luhn');
  });

  it('finds card numbers written with spaces or dashes, inside text, and followed by a CVV', () => {
    for (const text of [
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111 - 1111 - 1111 - 1111',
      '5555\u00a05555\u00a05555\u00a04444',
      'card 4111111111111111 exp 12/29',
      'tok_4111111111111111',
      '4111 1111 1111 1111 123',
      '3782 822463 10005',
    ]) {
      assert.ok(cardNumberIn(text), text);
    }
    assert.equal(cardNumberIn('total 1234 items 5678'), undefined);
    assert.equal(cardNumberIn('4111 1111 1111 1112'), undefined, 'fails Luhn');
  });

  it('leaves a UUID alone even when its digit groups would pass Luhn', () => {
    const uuid = '6f68a7e4-9405-4683-8206-7376ba1cd0aa';
    assert.ok(cardNumberIn(` ${uuid}`), 'the digits do pass Luhn inside other text');
    assert.equal(cardNumberIn(uuid), undefined);
  });

  it('walks nested objects and arrays and reports the JSON path of the first finding', () => {
    const body = {
      session_id: '6f68a7e4-9405-4683-8206-7376ba1cd0aa',
      amount_cents: 1250,
      lines: [{ sku: 'A-1' }, { sku: 'B-2', note: ['fine', `paid with ${MASTERCARD}`] }],
      later: VISA,
    };
    assert.deepEqual(findCardData(body), {
      path: '$.lines[1].note[1]',
      reason: '16 digits that pass the Luhn check',
    });
    assert.equal(findCardData({ ...body, lines: [], later: 'x' }), undefined);
    assert.equal(findCardData({ 'odd key': [VISA] })?.path, '$["odd key"][0]');
    assert.equal(findCardData([[[VISA]]])?.path, '$[0][0][0]');
    assert.equal(findCardData(VISA)?.path, '$');
  });

  it('checks numbers, and refuses card-sized numbers too large to check exactly', () => {
    assert.equal(findCardData({ amount_cents: Number(VISA) })?.path, '$.amount_cents');
    assert.equal(findCardData({ amount_cents: Number(broken(VISA)) }), undefined);
    assert.equal(
      findCardData({ n: JSON.parse('4111111111111111111') as number })?.reason,
      'a number of card-number length too large to check',
    );
    assert.equal(findCardData({ n: 1e21, m: 1250, f: 12.5, neg: -3 }), undefined);
  });

  it('checks object keys and keeps a refused key out of the path', () => {
    const finding = findCardData({ meta: { [VISA]: true } });
    assert.deepEqual(finding, {
      path: '$.meta',
      reason: 'an object key holds 16 digits that pass the Luhn check',
    });
  });

  it('says where and why but never the digits, not even the last four', () => {
    for (const [body, lastFour] of [
      [{ note: `4111 1111 1111 1111` }, '1111'],
      [{ x: [{ y: `pan 5555-5555-5555-4444` }] }, '4444'],
      [{ [MASTERCARD]: 1 }, '4444'],
    ] as const) {
      const finding = findCardData(body);
      assert.ok(finding);
      const message = cardDataMessage(finding);
      assert.match(message, /^field \$[^ ]* looks like a payment card number/);
      assert.ok(!message.includes(lastFour), message);
      assert.doesNotMatch(message, /[0-9]{3,}/, 'no run of digits at all');
      assert.ok(!JSON.stringify(finding).includes(lastFour));
    }
  });

  it('walks a deeply nested body without exhausting the stack', () => {
    let deep: unknown = VISA;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(findCardData(deep)?.reason, '16 digits that pass the Luhn check');
  });
});
