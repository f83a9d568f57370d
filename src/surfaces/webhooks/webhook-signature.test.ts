import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

const SECRET = 'whsec_test-secret';
const BODY = '{"id":"evt-1","kind":"ping","at":"2026-12-06T12:00:00.000Z"}';
const T = 1_796_558_400;

describe('webhook signature', () => {
  it('signs the timestamp and body in Stripe’s format and verifies its own signature', () => {
    const header = signWebhook(SECRET, BODY, T);
    assert.match(header, /^t=1796558400,v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifyWebhook(SECRET, BODY, header, T + 10), { ok: true, timestamp: T });
    assert.deepEqual(verifyWebhook(SECRET, Buffer.from(BODY), header, T), {
      ok: true,
      timestamp: T,
    });
  });

  it('refuses a changed body, a changed timestamp and the wrong secret as a mismatch', () => {
    const header = signWebhook(SECRET, BODY, T);
    const mismatch = { ok: false, reason: 'mismatch' };
    assert.deepEqual(verifyWebhook(SECRET, BODY.replace('ping', 'pong'), header, T), mismatch);
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    assert.deepEqual(verifyWebhook(SECRET, BODY, moved, T), mismatch);
    assert.deepEqual(verifyWebhook('whsec_other', BODY, header, T), mismatch);
  });

  it('refuses a correct signature whose timestamp is outside the tolerance either way', () => {
    const header = signWebhook(SECRET, BODY, T);
    assert.equal(verifyWebhook(SECRET, BODY, header, T + 300).ok, true);
    assert.deepEqual(verifyWebhook(SECRET, BODY, header, T + 301), { ok: false, reason: 'stale' });
    assert.deepEqual(verifyWebhook(SECRET, BODY, header, T - 301), { ok: false, reason: 'stale' });
    assert.equal(verifyWebhook(SECRET, BODY, header, T + 3000, 3600).ok, true);
  });

  it('accepts any one matching v1 among several (a sender rotating secrets)', () => {
    const other = signWebhook('whsec_old', BODY, T).split(',')[1]!;
    assert.equal(
      verifyWebhook(SECRET, BODY, `${signWebhook(SECRET, BODY, T)},${other}`, T).ok,
      true,
    );
  });

  it('refuses a missing or malformed header', () => {
    const malformed = { ok: false, reason: 'malformed' };
    assert.deepEqual(verifyWebhook(SECRET, BODY, undefined, T), malformed);
    assert.deepEqual(verifyWebhook(SECRET, BODY, '', T), malformed);
    assert.deepEqual(verifyWebhook(SECRET, BODY, `t=${T}`, T), malformed);
    assert.deepEqual(verifyWebhook(SECRET, BODY, `t=${T},v1=abc`, T), malformed);
    assert.deepEqual(verifyWebhook(SECRET, BODY, 'v1=' + 'a'.repeat(64), T), malformed);
  });
});
