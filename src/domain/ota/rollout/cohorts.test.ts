import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cohortOrder, cohortSizes } from './cohorts.js';
import { defaultStages } from './stages.js';
import { RolloutWorld, spec, T0 } from '../../../../test-support/ota-rollout.js';

const fleet = (n: number, revs: string[], stores: string[]) =>
  Array.from({ length: n }, (_, i) => ({
    deviceId: `D-${i}`,
    storeId: stores[i % stores.length]!,
    // A rare revision: one device in twenty.
    hardwareRev: i % 20 === 0 ? revs[0]! : revs[1 + (i % (revs.length - 1))]!,
  }));

describe('cohorts', () => {
  it('spreads every prefix across hardware revisions and stores', () => {
    const devices = fleet(600, ['R', 'A', 'B'], ['s1', 's2', 's3', 's4', 's5']);
    const order = cohortOrder('rollout-1', devices);
    assert.equal(new Set(order.map((d) => d.deviceId)).size, 600, 'each device once');
    const first = order.slice(0, 3);
    assert.deepEqual(new Set(first.map((d) => d.hardwareRev)), new Set(['R', 'A', 'B']));
    // The rare revision lives in one store; A and B in all five: eleven pairs in all.
    const pair = (d: (typeof devices)[number]) => `${d.hardwareRev}/${d.storeId}`;
    const pairs = new Set(order.slice(0, 15).map(pair));
    assert.deepEqual(pairs, new Set(devices.map(pair)), 'the first 15 cover every pair');
    assert.equal(order.slice(0, 15).filter((d) => d.hardwareRev === 'R').length, 5);
  });

  it('is deterministic for a rollout and differs between rollouts', () => {
    const devices = fleet(200, ['R', 'A'], ['s1', 's2']);
    const ids = (id: string) => cohortOrder(id, devices).map((d) => d.deviceId);
    assert.deepEqual(ids('rollout-1'), ids('rollout-1'));
    assert.notDeepEqual(ids('rollout-1'), ids('rollout-2'));
  });

  it('sizes stages cumulatively: canary 10, then ceil(percent × n), at least one device', () => {
    assert.deepEqual(cohortSizes(defaultStages(), 1234, null), [10, 13, 124, 309, 1234]);
    assert.deepEqual(cohortSizes(defaultStages(), 5, null), [5, 5, 5, 5, 5]);
    assert.deepEqual(cohortSizes(defaultStages(), 50, 3), [3, 3, 5, 13, 50]);
  });

  it('sends each stage a superset of the stage before, and leaves an opted-out store out', async () => {
    const world = new RolloutWorld({ devices: 400, stores: ['s1', 's2', 's3', 's4'] });
    const stages = [
      { name: 'canary', cohort: { devices: 10 }, durationMs: 0 },
      { name: '25%', cohort: { percent: 25 }, durationMs: 0 },
      { name: '100%', cohort: { percent: 100 }, durationMs: 0 },
    ];
    const rollout = await world.engine.create(spec({ stages, windowMs: 60_000 }), T0);
    await world.engine.optOut(rollout.rolloutId, 's4', T0, 'store:s4');
    await world.engine.tick(T0);
    const canary = world.sent.map((j) => j.device_id);
    assert.equal(canary.length, 10);
    // Each stage needs a full health window in it before it advances.
    await world.run(
      T0,
      T0 + 10 * 60_000,
      { old: 0, new: () => 0 },
      60_000,
      async () => (await world.repository.get(rollout.rolloutId))!.stageIndex === 1,
    );
    const second = world.sent.map((j) => j.device_id);
    assert.deepEqual(second.slice(0, 10), canary, 'cumulative');
    assert.equal(second.length, 75, '25 % of the 300 devices whose store stayed in');
    await world.run(T0 + 10 * 60_000, T0 + 60 * 60_000, { old: 0, new: () => 0 }, 60_000);
    assert.equal(world.sent.length, 300);
    assert.ok(world.sent.every((j) => world.device(j.device_id).storeId !== 's4'));
    const status = await world.engine.status(rollout.rolloutId, T0);
    assert.equal(status.state, 'completed');
    assert.equal(status.totals.optedOut, 100);
    assert.deepEqual(
      status.optOuts.map((o) => o.storeId),
      ['s4'],
    );
  });
});
