import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { WebhookSecretBox } from './webhook-secret-box.js';

describe('webhook secrets at rest', () => {
  const key = randomBytes(32);
  const box = new WebhookSecretBox(async () => key);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;

  it('stores a secret sealed, never in the clear, and opens it for its webhook', async () => {
    const stored = await box.seal('wh_a', secret);
    assert.match(stored, /^sealed:v1:/);
    assert.ok(!stored.includes(secret.slice(6)), 'no part of the secret in the clear');
    assert.notEqual(await box.seal('wh_a', secret), stored, 'a fresh nonce each time');
    assert.equal(await box.open('wh_a', stored), secret);
  });

  it("refuses another webhook's sealed secret, a tampered one and another key", async () => {
    const stored = await box.seal('wh_a', secret);
    await assert.rejects(box.open('wh_b', stored), /decrypt/);
    const [iv, ct, tag] = stored.slice('sealed:v1:'.length).split('.') as [string, string, string];
    const flipped = (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1);
    const tampered = `sealed:v1:${iv}.${flipped}.${tag}`;
    await assert.rejects(box.open('wh_a', tampered), /decrypt/);
    await assert.rejects(new WebhookSecretBox(async () => randomBytes(32)).open('wh_a', stored));
  });

  it('opens a secret stored in the clear before sealing, as it is', async () => {
    assert.equal(await box.open('wh_old', secret), secret);
  });
});
