import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toKnownDevice } from '../lambda/dynamodb-device-directory.js';
import { toInboundMessage } from '../lambda/rule-event.js';

describe('the topic rule event', () => {
  it('becomes the pipeline input: topic, payload bytes, arrival time', () => {
    const bytes = Uint8Array.from([123, 125, 0, 255, 7]);
    const event = {
      topic: 'dt/cart/CART-0001/scan',
      payload: Buffer.from(bytes).toString('base64'),
      receivedAt: 1_700_000_000_000,
    };
    const message = toInboundMessage(event);
    assert.deepEqual(message, { topic: event.topic, payload: bytes, receivedAt: event.receivedAt });
    assert.equal('publisher' in message, false, 'no publisher: the registry supplies the keys');
  });

  it('is refused with every missing part named and the SELECT it expects', () => {
    assert.throws(
      () => toInboundMessage({ payload: 'not base64!' }),
      (error: Error) => {
        assert.match(error.message, /topic \(a string\), payload \(base64\), receivedAt/);
        assert.match(error.message, /encode\(\*, 'base64'\) AS payload/);
        return true;
      },
    );
    assert.throws(() => toInboundMessage(undefined), /not a fleetplane topic rule event/);
  });
});

describe('a device registry item', () => {
  const item = {
    deviceId: { S: 'CART-0001' },
    storeId: { S: 'STORE-01' },
    deviceClass: { S: 'cart' },
    publicKeys: { L: [{ S: 'new' }, { S: 'old' }] },
  };

  it('reads as a known device, not revoked unless it says so', () => {
    assert.deepEqual(toKnownDevice(item), {
      deviceId: 'CART-0001',
      storeId: 'STORE-01',
      deviceClass: 'cart',
      publicKeys: ['new', 'old'],
      revoked: false,
    });
    assert.equal(toKnownDevice({ ...item, revoked: { BOOL: true } }).revoked, true);
  });

  it('without a known class or its keys is a registry fault, said with the item', () => {
    assert.throws(
      () => toKnownDevice({ ...item, deviceClass: { S: 'toaster' } }),
      /CART-0001 lacks/,
    );
    assert.throws(() => toKnownDevice({ ...item, publicKeys: { S: 'one' } }), /publicKeys/);
  });
});
