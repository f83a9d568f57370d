import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryRolloutRepository } from '../../domain/ota/rollout/memory/memory-rollout-repository.js';
import { rolloutRecord } from '../../domain/ota/rollout/ports.contract.js';
import type { RolloutJobRecord } from '../../domain/ota/rollout/ports.js';
import { OTA_JOB_STATES } from '../../stores/entities/ota/ota-types.js';
import { PlatformMetrics } from './metrics.js';
import { OtaRolloutGauge } from './ota-rollout-gauge.js';

function jobs(rolloutId: string, n: number): RolloutJobRecord[] {
  return Array.from({ length: n }, (_, ordinal) => ({
    jobId: `${rolloutId}-${ordinal}`,
    rolloutId,
    deviceId: `CART-${1000 + ordinal}`,
    storeId: 's1',
    ordinal,
    state: 'pending',
    detail: null,
    attempts: 0,
    firstSentAt: null,
    lastSentAt: null,
    lastStatusAt: null,
    finishedAt: null,
  }));
}

describe('OTA rollout gauge', () => {
  it('counts devices per state in active rollouts, follows their jobs, and drops finished rollouts', async () => {
    const metrics = new PlatformMetrics();
    const gauge = new OtaRolloutGauge(metrics.otaRolloutDevices, OTA_JOB_STATES);
    const repository = new MemoryRolloutRepository();
    const running = rolloutRecord();
    const done = rolloutRecord({ state: 'completed' });
    const runningJobs = jobs(running.rolloutId, 4);
    await repository.create(running, runningJobs);
    await repository.create(done, jobs(done.rolloutId, 2));
    const read = async () => {
      await gauge.refresh(repository);
      const values = (await metrics.otaRolloutDevices.get()).values;
      return Object.fromEntries(
        values
          .filter((v) => v.value > 0 || v.labels['state'] === 'succeeded')
          .map((v) => [
            `${v.labels['rollout'] === running.rolloutId ? 'r' : v.labels['rollout']}/${v.labels['state']}`,
            v.value,
          ]),
      );
    };

    assert.deepEqual(
      await read(),
      { 'r/pending': 4, 'r/succeeded': 0 },
      'the completed one is left out',
    );
    assert.equal((await metrics.otaRolloutDevices.get()).values.length, OTA_JOB_STATES.length);

    await repository.upsertJobs([
      { ...runningJobs[0]!, state: 'succeeded' },
      { ...runningJobs[1]!, state: 'succeeded' },
      { ...runningJobs[2]!, state: 'in-progress' },
    ]);
    assert.deepEqual(await read(), { 'r/pending': 1, 'r/in-progress': 1, 'r/succeeded': 2 });

    await repository.update({ ...running, state: 'halted' });
    assert.deepEqual(
      await read(),
      { 'r/pending': 1, 'r/in-progress': 1, 'r/succeeded': 2 },
      'halted is still active',
    );
    await repository.update({ ...running, state: 'aborted' });
    assert.deepEqual(await read(), {});
    assert.equal((await metrics.otaRolloutDevices.get()).values.length, 0, 'its series are gone');
  });

  it('counts running and halted rollouts, so an alert can fire while one waits halted', async () => {
    const metrics = new PlatformMetrics();
    const gauge = new OtaRolloutGauge(
      metrics.otaRolloutDevices,
      OTA_JOB_STATES,
      metrics.otaActiveRollouts,
    );
    const repository = new MemoryRolloutRepository();
    const a = rolloutRecord();
    const b = rolloutRecord();
    await repository.create(a, jobs(a.rolloutId, 1));
    await repository.create(b, jobs(b.rolloutId, 1));
    await repository.create(rolloutRecord({ state: 'completed' }), []);
    const read = async () => {
      await gauge.refresh(repository);
      const values = (await metrics.otaActiveRollouts.get()).values;
      return Object.fromEntries(values.map((v) => [v.labels['state'], v.value]));
    };
    assert.deepEqual(await read(), { running: 2, halted: 0 });
    await repository.update({ ...a, state: 'halted' });
    assert.deepEqual(await read(), { running: 1, halted: 1 });
    await repository.update({ ...a, state: 'aborted' });
    assert.deepEqual(await read(), { running: 1, halted: 0 }, 'an aborted one stops counting');
  });
});
