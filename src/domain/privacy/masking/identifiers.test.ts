import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { hmacSha256, makeTokenizer } from './identifiers.js';

describe('HMAC-SHA256 from one-shot hashes', () => {
  it('equals node:crypto createHmac for short, long and non-ASCII keys and messages', () => {
    for (const keyLength of [1, 32, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const mac = hmacSha256(key);
      for (const message of [
        '',
        'TL-0001',
        'jürgen.müller@beispiel.de',
        'x'.repeat(1000),
        '名前',
      ]) {
        assert.equal(
          mac(message).toString('hex'),
          createHmac('sha256', key).update(message, 'utf8').digest('hex'),
          `${keyLength}:${message.slice(0, 10)}`,
        );
      }
    }
  });

  it('makes tokens from the first 128 bits of the MAC of domain and value', () => {
    const key = randomBytes(32);
    const expected = createHmac('sha256', key).update('crm\u0000Ana').digest('hex').slice(0, 32);
    assert.match(makeTokenizer('crm', key)('Ana'), new RegExp(`^tok_[0-9a-f]{8}_${expected}$`));
  });
});
