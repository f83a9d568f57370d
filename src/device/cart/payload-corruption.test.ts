import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceMessage } from '../../contract/index.js';
import { mulberry32 } from '../random.js';
import { counterDigits, PayloadCorruption } from './payload-corruption.js';

function signed(counter: number): { message: DeviceMessage; payload: Uint8Array } {
  const message = {
    v: 1,
    type: 'health',
    device_id: 'cart-1',
    counter,
    ts: '2026-12-06T10:00:00.000Z',
  } as unknown as DeviceMessage;
  const body = new TextEncoder().encode(JSON.stringify(message));
  const payload = new Uint8Array(body.length + 64);
  payload.set(body);
  payload.fill(0xab, body.length);
  return { message, payload };
}

describe('payload corruption', () => {
  it('sends every copy of a message as it sent the first, also after the rate changes', () => {
    const corrupted: number[] = [];
    const c = new PayloadCorruption(mulberry32(1), (m) => corrupted.push(m.counter));
    c.setRate(0.5);
    const sent = new Map<number, Uint8Array>();
    for (let counter = 1; counter <= 40; counter++) {
      const { message, payload } = signed(counter);
      sent.set(counter, c.wire(message, payload));
    }
    c.setRate(1);
    for (const [counter, first] of sent) {
      const { message, payload } = signed(counter);
      assert.deepEqual(c.wire(message, payload), first, `copy of ${counter}`);
    }
    c.setRate(0);
    const flippedFirst = [...sent].filter(([counter, bytes]) => {
      const { payload } = signed(counter);
      return !Buffer.from(bytes).equals(Buffer.from(payload));
    });
    assert.ok(flippedFirst.length > 5 && flippedFirst.length < 35, `${flippedFirst.length} of 40`);
    assert.deepEqual(
      corrupted,
      flippedFirst.map(([counter]) => counter),
      'told once per corrupted message',
    );
  });

  it('chooses again once a message was acknowledged', () => {
    const c = new PayloadCorruption(mulberry32(2), () => undefined);
    const { message, payload } = signed(7);
    assert.equal(c.wire(message, payload), payload);
    c.setRate(1);
    assert.equal(c.wire(message, payload), payload, 'still the first choice');
    c.forget(7);
    assert.notDeepEqual(c.wire(message, payload), payload);
  });

  it('flips one bit of the body and never the counter or the signature', () => {
    const c = new PayloadCorruption(mulberry32(3), () => undefined);
    c.setRate(1);
    for (let counter = 100; counter < 1100; counter++) {
      const { message, payload } = signed(counter);
      const bytes = c.wire(message, payload);
      const diff = [...bytes.keys()].filter((i) => bytes[i] !== payload[i]);
      assert.equal(diff.length, 1);
      const at = diff[0]!;
      assert.equal(bytes[at]! ^ payload[at]!, 1);
      const [from, to] = counterDigits(payload.subarray(0, payload.length - 64));
      assert.ok(at >= 1 && at < payload.length - 64, `in the body: ${at}`);
      assert.ok(at < from || at >= to, `not in the counter's digits: ${at} in [${from}, ${to})`);
    }
  });

  it('finds the counter digits of a body, and none where there is no counter', () => {
    const body = new TextEncoder().encode('{"v":1,"counter":4711,"ts":"x"}');
    const [from, to] = counterDigits(body);
    assert.equal(new TextDecoder().decode(body.subarray(from, to)), '4711');
    assert.deepEqual(counterDigits(new TextEncoder().encode('{"v":1}')), [7, 7]);
  });
});
