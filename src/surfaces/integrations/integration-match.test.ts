import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';
import { idempotencyId, matches, renderSubject } from './integration-match.js';
import { outboundEvent } from './outbound-event.js';

function event(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    seq: 7,
    deviceId: 'CART-0001',
    storeId: 'berlin-1',
    deviceClass: 'cart',
    type: 'health',
    counter: 12,
    deviceTime: Date.UTC(2026, 0, 1),
    receivedAt: Date.UTC(2026, 0, 1, 0, 0, 1),
    body: JSON.stringify({ type: 'health', battery_pct: 80 }),
    signature: new Uint8Array(64).fill(1),
    ...overrides,
  };
}

describe('which events an integration takes', () => {
  it('takes everything when the match names nothing', () => {
    assert.equal(matches({}, event()), true);
  });

  it('takes an event only when every given list names its value', () => {
    assert.equal(matches({ deviceClass: ['cart'] }, event()), true);
    assert.equal(matches({ deviceClass: ['coldchain', 'tool'] }, event()), false);
    assert.equal(matches({ deviceClass: ['cart'], type: ['boot', 'health'] }, event()), true);
    assert.equal(matches({ deviceClass: ['cart'], type: ['scan'] }, event()), false);
  });
});

describe('subject templates and idempotency ids', () => {
  it('fills class, type, device and store', () => {
    assert.equal(
      renderSubject('fleet.{store}.{class}.{type}.{device}', event()),
      'fleet.berlin-1.cart.health.CART-0001',
    );
  });

  it('keeps a dotted id one subject token', () => {
    assert.equal(renderSubject('f.{device}.x', event({ deviceId: 'CART.0001' })), 'f.CART_0001.x');
  });

  it('names one message by device and counter, however often it is sent', () => {
    assert.equal(idempotencyId(event()), 'CART-0001:12');
    assert.equal(outboundEvent(event()).id, 'CART-0001:12');
  });
});

describe('what leaves the platform', () => {
  it('carries the message and the device signature', () => {
    const out = outboundEvent(event());
    assert.deepEqual(out.message, { type: 'health', battery_pct: 80 });
    assert.equal(out.signature, '01'.repeat(64));
    assert.equal(out.deviceTime, '2026-01-01T00:00:00.000Z');
  });

  it('withholds a sealed customer credential and a tool operator, and then sends no signature', () => {
    const identify = outboundEvent(
      event({
        type: 'identify',
        body: JSON.stringify({ method: 'loyalty', credential: { ct: 'x' } }),
      }),
    );
    assert.deepEqual(identify.message, { method: 'loyalty' });
    assert.deepEqual(identify.withheld, ['credential']);
    assert.equal(identify.signature, undefined);
    const tool = outboundEvent(
      event({
        deviceClass: 'tool',
        type: 'tool-telemetry',
        body: JSON.stringify({ rpm: 1, operator: {} }),
      }),
    );
    assert.deepEqual(tool.message, { rpm: 1 });
    assert.deepEqual(tool.withheld, ['operator']);
  });
});
