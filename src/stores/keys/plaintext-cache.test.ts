import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MovableClock } from './key-provider.contract.js';
import { PlaintextCache } from './plaintext-cache.js';

describe('PlaintextCache', () => {
  it('forgets an entry once its time is up, and when the clock goes backwards', () => {
    const clock = new MovableClock(new Date('2026-05-10T09:00:00Z'));
    const cache = new PlaintextCache(clock.now, 60_000, 10);
    cache.set('a', Buffer.alloc(32, 1));
    clock.set('2026-05-10T09:00:59.999Z');
    assert.deepEqual(cache.get('a'), Buffer.alloc(32, 1));
    clock.set('2026-05-10T09:01:00Z');
    assert.equal(cache.get('a'), undefined);
    cache.set('b', Buffer.alloc(32, 2));
    clock.set('2026-05-10T08:00:00Z');
    assert.equal(cache.get('b'), undefined);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new PlaintextCache(new MovableClock().now, 60_000, 2);
    for (const k of ['a', 'b', 'c']) cache.set(k, Buffer.from(k));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a'), undefined);
    assert.deepEqual(cache.get('c'), Buffer.from('c'));
  });

  it('hands out copies and zeroes its own copy when an entry leaves', () => {
    const cache = new PlaintextCache(new MovableClock().now, 60_000, 2);
    const original = Buffer.alloc(32, 7);
    cache.set('a', original);
    const given = cache.get('a')!;
    given.fill(9); // a caller scribbling on its key does not change the cached one
    assert.deepEqual(cache.get('a'), Buffer.alloc(32, 7));
    const held = (cache as unknown as { entries: Map<string, { material: Buffer }> }).entries.get(
      'a',
    )!.material;
    cache.delete('a');
    assert.deepEqual(held, Buffer.alloc(32, 0));
    assert.deepEqual(original, Buffer.alloc(32, 7));
  });

  it('caches nothing with a zero time to live', () => {
    const cache = new PlaintextCache(new MovableClock().now, 0, 10);
    cache.set('a', Buffer.from('a'));
    assert.equal(cache.get('a'), undefined);
  });
});
