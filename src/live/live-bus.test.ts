import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveBus } from './live-bus.js';
import type { DeadLetterEventData, LiveEvent } from './live-events.js';

const letters = (total: number): DeadLetterEventData => ({ change: 'added', count: 1, total });

describe('live bus', () => {
  it('delivers to the subscribers whose filter takes the event, and stops after close', () => {
    const bus = new LiveBus();
    assert.equal(bus.listening, false);
    const a: LiveEvent[] = [];
    const b: LiveEvent[] = [];
    const subA = bus.subscribe(
      () => true,
      (e) => a.push(e),
    );
    bus.subscribe(
      (e) => e.audience.storeId === 'paris-1',
      (e) => b.push(e),
    );
    assert.equal(bus.subscribers, 2);
    bus.publish('dead-letter', {}, letters(1));
    bus.publish('dead-letter', { storeId: 'paris-1' }, letters(2));
    assert.deepEqual(
      a.map((e) => (e.data as DeadLetterEventData).total),
      [1, 2],
    );
    assert.deepEqual(
      b.map((e) => (e.data as DeadLetterEventData).total),
      [2],
    );
    subA.close();
    bus.publish('dead-letter', {}, letters(3));
    assert.equal(a.length, 2);
    assert.equal(bus.subscribers, 1);
  });

  it('replays the kept events after a Last-Event-ID of this process, and nothing for another', () => {
    let now = 1_000_000;
    const bus = new LiveBus({ replay: 3, now: () => now });
    for (let i = 1; i <= 5; i++) bus.publish('dead-letter', {}, letters(i));
    const ids: string[] = [];
    bus.subscribe(
      () => true,
      (e) => ids.push(e.id),
    );
    bus.publish('dead-letter', {}, letters(6));
    const [sixth] = ids;
    assert.ok(sixth);

    const totals = (lastEventId: string | undefined) => {
      const got: number[] = [];
      bus
        .subscribe(
          () => true,
          (e) => got.push((e.data as DeadLetterEventData).total),
          lastEventId,
        )
        .close();
      return got;
    };
    const idOf = (n: number) => sixth.replace(/-6$/, `-${n}`);
    assert.deepEqual(totals(idOf(4)), [5, 6]);
    assert.deepEqual(totals(idOf(1)), [4, 5, 6], 'only as far back as kept');
    assert.deepEqual(totals(sixth), []);
    assert.deepEqual(totals(undefined), []);
    assert.deepEqual(totals('garbage'), []);
    now += 1;
    const restarted = new LiveBus({ now: () => now });
    restarted.publish('dead-letter', {}, letters(1));
    const got: LiveEvent[] = [];
    restarted.subscribe(
      () => true,
      (e) => got.push(e),
      idOf(0),
    );
    assert.deepEqual(got, [], 'an id from before a restart replays nothing');
  });

  it('drops a subscriber that throws and still delivers to the others', () => {
    const bus = new LiveBus();
    const good: LiveEvent[] = [];
    bus.subscribe(
      () => true,
      () => {
        throw new Error('gone');
      },
    );
    bus.subscribe(
      () => true,
      (e) => good.push(e),
    );
    bus.publish('dead-letter', {}, letters(1));
    bus.publish('dead-letter', {}, letters(2));
    assert.equal(good.length, 2);
    assert.equal(bus.subscribers, 1);
  });
});
