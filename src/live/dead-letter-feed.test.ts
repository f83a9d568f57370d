import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProjectionLog } from '../ingest/projection-log.js';
import { silentLogger } from '../observability/logger.js';
import type { StoredEvent } from '../telemetry/telemetry-store.js';
import { deadLetterFeed } from './dead-letter-feed.js';
import { LiveBus } from './live-bus.js';
import type { DeadLetterEventData } from './live-events.js';

/** A projection log in memory: the dead letters are a list. */
function memoryLog(): ProjectionLog & { letters: number[] } {
  const letters: number[] = [];
  let next = 1;
  return {
    letters,
    cursor: async () => 0,
    advance: async (_seq, failed) => {
      letters.push(...failed.map(() => next++));
    },
    listDeadLetters: async () => [],
    countDeadLetters: async () => letters.length,
    removeDeadLetters: async (ids) => {
      for (const id of ids) letters.splice(letters.indexOf(id), 1);
    },
    markReplayFailed: async () => undefined,
    close: async () => undefined,
  };
}

const failure = { event: {} as StoredEvent, error: 'boom', attempts: 5 };

describe('dead-letter feed', () => {
  it('tells of events parked and replayed, with the total left, after the write', async () => {
    const log = memoryLog();
    const bus = new LiveBus();
    const got: DeadLetterEventData[] = [];
    bus.subscribe(
      () => true,
      (e) => got.push(e.data as DeadLetterEventData),
    );
    const feed = deadLetterFeed(log, bus, silentLogger());
    await feed.advance(10, [], 0);
    await feed.advance(20, [failure, failure, failure], 0);
    await feed.removeDeadLetters([1, 3]);
    await feed.removeDeadLetters([]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(got, [
      { change: 'added', count: 3, total: 3 },
      { change: 'replayed', count: 2, total: 1 },
    ]);
  });

  it('tells nothing of a write that failed', async () => {
    const log = memoryLog();
    log.advance = () => Promise.reject(new Error('disk full'));
    const bus = new LiveBus();
    const got: unknown[] = [];
    bus.subscribe(
      () => true,
      (e) => got.push(e),
    );
    await assert.rejects(deadLetterFeed(log, bus, silentLogger()).advance(1, [failure], 0));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(got, []);
  });
});
