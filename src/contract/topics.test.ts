import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_MESSAGE_TYPES, mayClassSend } from './catalog.js';
import {
  devicePermissions,
  mayPublish,
  maySubscribe,
  mosquittoAclPatterns,
  parseDeviceTopic,
  topicFor,
  topics,
} from './topics.js';

describe('topics', () => {
  it('parses every topic a device publishes on back to its parts', () => {
    for (const type of DEVICE_MESSAGE_TYPES) {
      if (!mayClassSend('cart', type)) continue;
      const topic = topicFor('cart', 'CART-1', type);
      const parsed = parseDeviceTopic(topic);
      assert.ok(parsed, topic);
      assert.equal(parsed.deviceId, 'CART-1');
      if (parsed.channel === 'telemetry') assert.equal(parsed.type, type);
    }
  });

  it('puts telemetry under dt/<class>/<id>/<type> and responses under cmd/<id>/response', () => {
    assert.equal(
      topicFor('coldchain', 'CC-1', 'coldchain-telemetry'),
      'dt/coldchain/CC-1/coldchain-telemetry',
    );
    assert.equal(topicFor('cart', 'CART-1', 'command-response'), 'cmd/CART-1/response');
    assert.equal(topics.errors('CART-1'), 'devices/errors/CART-1');
  });

  it('does not parse topics outside the scheme', () => {
    for (const t of [
      'dt/cart/CART-1',
      'dt/cart/CART-1/selfie',
      'dt/fridge/X/scan',
      'cmd/CART-1/request',
      'dt/cart/+/scan',
      'devices/errors/CART-1',
      'dt/cart/CART-1/command-response',
    ]) {
      assert.equal(parseDeviceTopic(t), undefined, t);
    }
  });
});

describe('device ACL', () => {
  it('lets a device publish its own messages', () => {
    assert.equal(mayPublish('cart', 'CART-1', 'dt/cart/CART-1/scan'), true);
    assert.equal(mayPublish('cart', 'CART-1', 'cmd/CART-1/response'), true);
    assert.equal(mayPublish('cart', 'CART-1', 'jobs/CART-1/status'), true);
  });

  it("refuses another device's topics, another class's, and types its class may not send", () => {
    assert.equal(mayPublish('cart', 'CART-1', 'dt/cart/CART-2/scan'), false);
    assert.equal(mayPublish('cart', 'CART-1', 'dt/coldchain/CART-1/coldchain-telemetry'), false);
    assert.equal(mayPublish('coldchain', 'CC-1', 'dt/coldchain/CC-1/scan'), false);
    assert.equal(mayPublish('cart', 'CART-1', 'cmd/CART-1/request'), false);
    assert.equal(mayPublish('cart', 'CART-1', 'devices/errors/CART-1'), false);
  });

  it('lets a device subscribe to exactly its four inbound topics, never a wildcard', () => {
    const { subscribe } = devicePermissions('cart', 'CART-1');
    assert.deepEqual([...subscribe].sort(), [
      'cmd/CART-1/request',
      'devices/errors/CART-1',
      'jobs/CART-1/notify',
      'shadow/CART-1/desired',
    ]);
    for (const filter of subscribe) assert.equal(maySubscribe('cart', 'CART-1', filter), true);
    for (const filter of [
      '#',
      'cmd/+/request',
      'devices/errors/#',
      'cmd/CART-2/request',
      'dt/cart/CART-1/scan',
    ]) {
      assert.equal(maySubscribe('cart', 'CART-1', filter), false, filter);
    }
  });

  it('gives Mosquitto the same scheme keyed on the certificate CN', () => {
    const acl = mosquittoAclPatterns();
    assert.ok(acl.includes('pattern write dt/+/%u/+'));
    assert.ok(acl.includes('pattern read devices/errors/%u'));
    assert.equal(acl.filter((l) => l.startsWith('pattern read')).length, 4);
  });
});
