import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entityFailure } from '../../stores/entities/errors.js';
import type { EntityStore, IngestedEvent } from '../../stores/entities/entity-store.js';
import type { StoredEvent, TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import { PlatformMetrics } from '../../shared/observability/metrics.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { storedEvent } from '../../../test-support/stored-events.js';
import { EntityProjector } from './entity-projector.js';
import type { ProjectionLog } from './projection-log.js';

/** A change feed of `n` health events, a log in memory, and an entity store we can take down. */
function rig(n: number, failure: () => Error) {
  const feed: StoredEvent[] = Array.from({ length: n }, (_, i) => ({
    ...storedEvent('CART-1', 'berlin-1', i + 1, 1_700_000_000_000 + i),
    seq: i + 1,
  }));
  const telemetry = {
    eventsAfter: (seq: number, limit: number) =>
      Promise.resolve(feed.filter((e) => e.seq > seq).slice(0, limit)),
  } as unknown as TelemetryStore;
  const state = { down: true, refused: 0, applied: [] as number[] };
  const entities = {
    project(events: readonly IngestedEvent[]) {
      if (state.down) {
        state.refused++;
        return Promise.reject(failure());
      }
      state.applied.push(...events.map((e) => e.seq));
      return Promise.resolve({ merges: [] });
    },
  } as unknown as EntityStore;
  let cursor = 0;
  const dead: number[] = [];
  const log: ProjectionLog = {
    cursor: () => Promise.resolve(cursor),
    advance(seq, failed) {
      cursor = seq;
      dead.push(...failed.map((f) => f.event.seq));
      return Promise.resolve();
    },
    listDeadLetters: () => Promise.resolve([]),
    countDeadLetters: () => Promise.resolve(dead.length),
    removeDeadLetters: () => Promise.resolve(),
    markReplayFailed: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const projector = new EntityProjector(
    telemetry,
    entities,
    log,
    new PlatformMetrics(),
    silentLogger(),
    { attempts: 3, backoffMs: 5, maxOutageBackoffMs: 20, pollMs: 10 },
  );
  return { projector, state, dead, cursor: () => cursor };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('entity projection across an entity store outage', () => {
  it('waits out an unreachable store, then projects every event once, dead-lettering none', async () => {
    const { projector, state, dead, cursor } = rig(5, () =>
      entityFailure('entity-store-unavailable', 'the PostgreSQL server is unreachable'),
    );
    projector.start();
    try {
      // Far more refusals than the three attempts a failing batch gets before isolation.
      await until(() => state.refused >= 12, 'the store refused a dozen tries');
      assert.equal(cursor(), 0, 'the cursor waits with the store');
      state.down = false;
      await until(() => cursor() === 5, 'projection caught up');
    } finally {
      await projector.stop();
    }
    assert.deepEqual(dead, []);
    assert.deepEqual(state.applied, [1, 2, 3, 4, 5]);
  });

  it('still parks events that fail for another reason as dead letters', async () => {
    const { projector, dead, cursor } = rig(2, () => new Error('violates check constraint'));
    await projector.catchUp();
    assert.equal(cursor(), 2);
    assert.deepEqual(dead, [1, 2]);
  });

  it('gives up on an unreachable store when stopped, leaving the cursor where it was', async () => {
    const { projector, state, dead, cursor } = rig(3, () =>
      entityFailure('entity-store-unavailable', 'the PostgreSQL server is unreachable'),
    );
    projector.start();
    await until(() => state.refused >= 2, 'the store refused');
    await projector.stop();
    assert.equal(cursor(), 0);
    assert.deepEqual(dead, []);
  });
});
