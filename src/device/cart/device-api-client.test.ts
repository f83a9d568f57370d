import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKOUT_RESULT_EXAMPLE, SEAL_KEY_EXAMPLE } from '../../contract/examples.js';
import { checkoutAnswer, parseSealKey } from './device-api-client.js';

const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('device API client', () => {
  it('takes a 200 checkout-result, a 400 refusal, and anything else as unavailable', () => {
    assert.deepEqual(checkoutAnswer(200, bytes(CHECKOUT_RESULT_EXAMPLE)), {
      status: 'result',
      result: CHECKOUT_RESULT_EXAMPLE,
    });
    assert.deepEqual(checkoutAnswer(400, bytes({ error: 'signature', message: 'bad' })), {
      status: 'rejected',
      error: 'signature',
      message: 'bad',
    });
    assert.deepEqual(checkoutAnswer(400, bytes('<html>')), {
      status: 'rejected',
      error: 'bad-request',
      message: '',
    });
    for (const status of [404, 500, 502, 503]) {
      assert.equal(
        checkoutAnswer(status, bytes({ error: 'x' })).status,
        'unavailable',
        `${status}`,
      );
    }
    // A 200 that is not a checkout-result says nothing about the session-end: send it on MQTT.
    const partial: Record<string, unknown> = { ...CHECKOUT_RESULT_EXAMPLE };
    delete partial['outcome'];
    assert.equal(checkoutAnswer(200, bytes(partial)).status, 'unavailable');
    assert.equal(checkoutAnswer(200, bytes('not json')).status, 'unavailable');
  });

  it('accepts only a seal key the contract allows', () => {
    assert.deepEqual(parseSealKey(bytes(SEAL_KEY_EXAMPLE)), SEAL_KEY_EXAMPLE);
    assert.throws(
      () => parseSealKey(bytes({ ...SEAL_KEY_EXAMPLE, public_key: 'short' })),
      /seal key/,
    );
    assert.throws(() => parseSealKey(bytes({ ...SEAL_KEY_EXAMPLE, alg: 'rsa' })), /seal key/);
    assert.throws(() => parseSealKey(bytes('{')), /seal key/);
  });
});
