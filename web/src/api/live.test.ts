import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveStream, mentions, type EventSourceLike } from './live.js';

class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly listeners = new Map<string, (event: MessageEvent) => void>();
  closed = false;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, listener);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data: string): void {
    this.listeners.get(type)?.({ data } as MessageEvent);
  }
}

describe('live stream', () => {
  it('opens one source for every subscriber and delivers parsed events by type', () => {
    const sources: FakeSource[] = [];
    const stream = new LiveStream(() => {
      const source = new FakeSource();
      sources.push(source);
      return source;
    });
    const alerts: unknown[] = [];
    const carts: unknown[] = [];
    stream.subscribe('alert', (e) => alerts.push(e));
    const stop = stream.subscribe('cart', (e) => carts.push(e));
    assert.equal(sources.length, 1);
    sources[0]!.emit('alert', '{"id":"a-1","storeId":"store-1"}');
    sources[0]!.emit('cart', 'not json');
    stop();
    sources[0]!.emit('cart', '{"deviceId":"CART-1"}');
    assert.deepEqual(alerts, [{ id: 'a-1', storeId: 'store-1' }]);
    assert.deepEqual(carts, [{}]);
  });

  it('reports open, reconnecting and closed for good', () => {
    const source = new FakeSource();
    const stream = new LiveStream(() => source);
    const states: string[] = [];
    stream.onState((s) => states.push(s));
    stream.subscribe('session', () => {});
    source.onopen?.(new Event('open'));
    source.readyState = 0;
    source.onerror?.(new Event('error'));
    source.readyState = 2;
    source.onerror?.(new Event('error'));
    assert.deepEqual(states, ['connecting', 'open', 'connecting', 'closed']);
  });

  it('matches an event to a cart or session by either spelling, also nested', () => {
    assert.ok(mentions({ deviceId: 'CART-1' }, 'CART-1', 'deviceId', 'device_id'));
    assert.ok(mentions({ device_id: 'CART-1' }, 'CART-1', 'deviceId', 'device_id'));
    assert.ok(mentions({ session: { sessionId: 's' } }, 's', 'sessionId'));
    assert.ok(!mentions({ deviceId: 'CART-2' }, 'CART-1', 'deviceId'));
    assert.ok(!mentions({ deviceId: 'CART-1' }, null, 'deviceId'));
  });
});
