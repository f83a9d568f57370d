import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RolloutWorld, spec, T0, jobStatus } from '../../../../test-support/ota-rollout.js';
import { onClockNow } from './clock-step.js';
import { HOUR_MS } from './stages.js';

const MIN = 60_000;
const clean = { old: 0.2, new: () => 0.2 };

/** A clean 200-cart rollout ticked every 10 minutes until it reaches `stage`; the time then. */
async function runTo(world: RolloutWorld, rolloutId: string, from: number, stage: number) {
  return world.run(from, from + 14 * 24 * HOUR_MS, clean, 10 * MIN, async () => {
    return (await world.repository.get(rolloutId))!.stageIndex >= stage;
  });
}

describe('rollout engine across a step of the host clock', () => {
  it('an hour forward re-sends no job in flight and counts no device that took it silent', async () => {
    const world = new RolloutWorld({ devices: 20 });
    world.updateOnSend = false;
    const rollout = await world.engine.create(spec(), T0);
    await world.engine.tick(T0 + MIN);
    assert.equal(world.sent.length, 10, 'the canary is sent');
    for (const job of world.sent) {
      await world.engine.onJobStatus(job.device_id, jobStatus(job, 'downloading'), T0 + 2 * MIN);
    }
    // The devices were heard from just before the step (lastSeenAt), and not since.
    for (const job of world.sent) world.targets.update(job.device_id, { lastSeenAt: T0 + 3 * MIN });
    const stepped = T0 + 4 * MIN + HOUR_MS;
    const report = await world.engine.tick(stepped, HOUR_MS);
    assert.equal(report.sent, 0, 'nothing re-sent: no job has been quiet for its hour');
    assert.equal(world.sent.length, 10);
    const after = (await world.repository.get(rollout.rolloutId))!;
    assert.deepEqual(after.evidence?.silentDeviceIds, [], 'silence counts from the step');
    assert.equal(
      after.stageStartedAt,
      T0 + HOUR_MS,
      'the stage started an hour later on this clock',
    );
    assert.equal(after.clockSteppedAt, stepped);
    // A device still silent five minutes after the step counts; a job quiet an hour after it is
    // sent again.
    await world.engine.tick(stepped + 6 * MIN);
    const later = (await world.repository.get(rollout.rolloutId))!;
    assert.equal(later.evidence?.silentDeviceIds.length, 10);
    await world.engine.tick(stepped + HOUR_MS);
    assert.equal(world.sent.length, 20);
  });

  it('an hour forward does not cut a stage short: the early stage still soaks 72 hours', async () => {
    const world = new RolloutWorld({ devices: 200 });
    const rollout = await world.engine.create(spec(), T0);
    const early = await runTo(world, rollout.rolloutId, T0, 1);
    const stepped = early + 10 * MIN + HOUR_MS;
    await world.engine.tick(stepped, HOUR_MS);
    const advanced = await runTo(world, rollout.rolloutId, stepped, 2);
    const soaked = advanced - HOUR_MS - early;
    assert.ok(soaked >= 72 * HOUR_MS, `the early stage soaked ${soaked / HOUR_MS} h of real time`);
    assert.ok(soaked <= 73 * HOUR_MS, `and no longer than a window past it: ${soaked / HOUR_MS} h`);
  });

  it('an hour back neither stalls the stage nor its health, even when nobody saw the step', async () => {
    const world = new RolloutWorld({ devices: 200 });
    const rollout = await world.engine.create(spec(), T0);
    const early = await runTo(world, rollout.rolloutId, T0, 1);
    // The clock goes back an hour while the platform was down: no step is reported, and the last
    // judgement and the stage's start lie in the future of the clock now.
    const back = early + 10 * MIN - HOUR_MS;
    await world.engine.tick(back);
    const judged = (await world.repository.get(rollout.rolloutId))!;
    assert.equal(judged.evidence?.judgedTo, back, 'health is judged on at once');
    const advanced = await runTo(world, rollout.rolloutId, back, 2);
    const soaked = advanced + HOUR_MS - early;
    assert.ok(soaked <= 73 * HOUR_MS, `the early stage soaked ${soaked / HOUR_MS} h of real time`);
    assert.ok(soaked >= 72 * HOUR_MS);
    const done = (await world.repository.get(rollout.rolloutId))!;
    assert.equal(done.state, 'running');
    assert.equal(done.history.filter((h) => h.action === 'advance').length, 2);
  });

  it('reads a mark from before the last step as made at the step, and one in the future likewise', () => {
    const steppedAt = T0 + HOUR_MS;
    assert.equal(onClockNow(T0, { clockSteppedAt: steppedAt }, steppedAt + MIN), steppedAt);
    assert.equal(
      onClockNow(steppedAt + 1, { clockSteppedAt: steppedAt }, steppedAt + MIN),
      steppedAt + 1,
    );
    assert.equal(
      onClockNow(T0 + 2 * HOUR_MS, { clockSteppedAt: steppedAt }, steppedAt + MIN),
      steppedAt,
    );
    assert.equal(onClockNow(T0 + 2 * HOUR_MS, {}, T0), T0, 'no step seen: from now');
    assert.equal(onClockNow(T0 - MIN, {}, T0), T0 - MIN);
  });
});
