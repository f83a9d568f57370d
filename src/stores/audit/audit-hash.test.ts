import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { auditHash, canonicalJson, type HashedRecord } from './audit-hash.js';

const record: HashedRecord = {
  seq: 2,
  at: new Date('2026-05-10T09:00:00Z'),
  purpose: 'greet customer on cart',
  action: 'decrypt',
  actor: { subject: 'cart-link', role: 'service' },
  accountId: 'acc-1',
  fields: ['first_name', 'email'],
  detail: { session: 's-1', attempt: 2, retried: false },
};

describe('audit hash', () => {
  it('writes canonical JSON: keys sorted at every level, dates as ISO, lists in order', () => {
    assert.equal(
      canonicalJson(record),
      '{"accountId":"acc-1","action":"decrypt","actor":{"role":"service","subject":"cart-link"},' +
        '"at":"2026-05-10T09:00:00.000Z","detail":{"attempt":2,"retried":false,"session":"s-1"},' +
        '"fields":["first_name","email"],"purpose":"greet customer on cart","seq":2}',
    );
  });

  it('omits absent optional fields rather than writing null', () => {
    const bare = { ...record, accountId: undefined, fields: undefined, detail: undefined };
    assert.equal(
      canonicalJson(bare),
      '{"action":"decrypt","actor":{"role":"service","subject":"cart-link"},' +
        '"at":"2026-05-10T09:00:00.000Z","purpose":"greet customer on cart","seq":2}',
    );
  });

  it('hashes the previous hash, a newline and the canonical JSON with SHA-256', () => {
    const prev = 'ab'.repeat(32);
    const expected = createHash('sha256')
      .update(`${prev}\n${canonicalJson(record)}`)
      .digest('hex');
    assert.equal(auditHash(prev, record), expected);
    assert.notEqual(auditHash('', record), expected);
  });

  it('refuses a non-finite number, which JSON would turn into null', () => {
    assert.throws(() => canonicalJson({ ...record, detail: { n: Number.POSITIVE_INFINITY } }));
  });
});
