import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../observability/logger.js';
import type { RolloutStatus } from '../ota/rollout/rollout-status.js';
import { LiveBus } from './live-bus.js';
import type { LiveEvent, RolloutEventData } from './live-events.js';
import { RolloutFeed } from './rollout-feed.js';

const counts = {
  devices: 10,
  pending: 10,
  sent: 0,
  onNewVersion: 0,
  rolledBack: 0,
  failed: 0,
  rejected: 0,
  timedOut: 0,
};

function status(rolloutId: string, onNewVersion: number): RolloutStatus {
  return {
    rolloutId,
    state: 'running',
    deviceClass: 'cart',
    targetVersion: '2.5.0',
    imageId: 'img',
    caGeneration: 1,
    createdAt: 0,
    createdBy: 'ops:o',
    stage: { index: 0, name: 'canary', startedAt: 0, endsAt: 86_400_000, remainingMs: 1 },
    stages: [],
    totals: {
      ...counts,
      pending: 10 - onNewVersion,
      onNewVersion,
      onNewVersionPct: onNewVersion * 10,
      rolledBackPct: 0,
      optedOut: 0,
      excluded: { hardware: 0, newer: 0 },
    },
    lastHealth: null,
    haltReason: null,
    haltedHealth: null,
    optOuts: [],
    history: [],
  } as RolloutStatus;
}

describe('rollout feed', () => {
  it('sends one event for a burst of changes to a rollout, and none when nothing shown changed', async () => {
    const bus = new LiveBus();
    const got: LiveEvent[] = [];
    const reads: string[] = [];
    const onNew = new Map([
      ['r1', 0],
      ['r2', 0],
    ]);
    const feed = new RolloutFeed({
      bus,
      log: silentLogger(),
      now: () => 0,
      gatherMs: 20,
      status: async (id) => {
        reads.push(id);
        return status(id, onNew.get(id)!);
      },
    });
    feed.changed('r1');
    assert.deepEqual(reads, [], 'nobody listens: nothing read');
    bus.subscribe(
      () => true,
      (e) => got.push(e),
    );

    onNew.set('r1', 3);
    for (let i = 0; i < 50; i++) feed.changed('r1');
    feed.changed('r2');
    await new Promise((resolve) => setTimeout(resolve, 60));
    await feed.stop();
    assert.deepEqual(reads.sort(), ['r1', 'r2']);
    assert.deepEqual(
      got.map((e) => [
        (e.data as RolloutEventData).rolloutId,
        (e.data as RolloutEventData).totals.onNewVersion,
      ]),
      [
        ['r1', 3],
        ['r2', 0],
      ],
    );
    assert.equal(got[0]?.kind, 'rollout');
    assert.equal((got[0]?.data as RolloutEventData).stage.name, 'canary');

    feed.changed('r1'); // a tick that changed nothing a page shows
    await new Promise((resolve) => setTimeout(resolve, 60));
    onNew.set('r2', 4);
    feed.changed('r2');
    await new Promise((resolve) => setTimeout(resolve, 60));
    await feed.stop();
    assert.deepEqual(
      got.slice(2).map((e) => (e.data as RolloutEventData).rolloutId),
      ['r2'],
    );
  });
});
