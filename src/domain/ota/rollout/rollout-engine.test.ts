import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR_MS } from './stages.js';
import { NEW, RolloutWorld, spec, T0, jobStatus } from '../../../../test-support/ota-rollout.js';
import type { RolloutRecord } from './ports.js';

const MIN = 60_000;
/**
 * A 1,000-cart fleet over three stores and two hardware revisions, run in 10-minute ticks for up
 * to two weeks at these fault rates (per device-hour) until the rollout stops running.
 */
async function runUntilSettled(rates: { old: number; new: number }) {
  const world = new RolloutWorld({
    devices: 1000,
    stores: ['s1', 's2', 's3'],
    hardwareRevs: ['A', 'B'],
  });
  const rollout = await world.engine.create(spec(), T0);
  await world.run(
    T0,
    T0 + 14 * 24 * HOUR_MS,
    { old: rates.old, new: () => rates.new },
    10 * MIN,
    async () => (await world.repository.get(rollout.rolloutId))!.state !== 'running',
  );
  return { world, rollout };
}

const advances = (r: RolloutRecord | undefined) =>
  (r?.history ?? []).filter((h) => h.action === 'advance');

describe('rollout engine: halting and advancing by itself', () => {
  it('halts on an error-rate regression (new version 3× the old) with both rates in the reason', async () => {
    const { world, rollout } = await runUntilSettled({ old: 0.2, new: 0.6 });
    const status = await world.engine.status(rollout.rolloutId, T0);
    assert.equal(status.state, 'halted');
    // Caught by the canary: the sequential rule sums the stage's device-hours instead of
    // judging each 30-minute window alone (the per-window rule took until the 10 % stage).
    assert.equal(status.stage.name, 'canary');
    assert.ok(status.haltedHealth!.target.deviceHours >= 100, 'not before the minimum exposure');
    assert.equal(status.haltedHealth?.verdict, 'regression');
    assert.ok(status.haltedHealth!.target.events >= 3);
    assert.ok(status.haltedHealth!.target.rate! > 1.5 * status.haltedHealth!.baselineRate!);
    assert.match(status.haltReason ?? '', /new version .*\/device-hour .* vs old .*device-hours/);
    const sentBefore = world.sent.length;
    await world.engine.tick(T0 + 30 * 24 * HOUR_MS);
    assert.equal(world.sent.length, sentBefore, 'a halted rollout sends nothing');
  });

  it('counts a device that took the job and then went silent as a failure of the new version', async () => {
    const world = new RolloutWorld({ devices: 4000, stores: ['s1', 's2'], hardwareRevs: ['A'] });
    const rollout = await world.engine.create(spec(), T0);
    const rates = { old: 0.05, new: () => 0.05 };
    const until = async () => (await world.repository.get(rollout.rolloutId))!.state !== 'running';
    const early = await world.run(T0, T0 + 26 * HOUR_MS, rates, 10 * MIN);
    assert.equal((await world.engine.status(rollout.rolloutId, early)).stage.name, 'early');
    // 25 of the 40 early carts flash the update and are never heard from again; clean otherwise.
    // Each weighs as one error (ln 1.5 of evidence), so it takes many to halt.
    const sent = [...new Set(world.sent.map((j) => j.device_id))];
    const bricked = sent.slice(10, 35);
    bricked.forEach((id) => world.silence(id, early));
    const end = await world.run(early, early + 24 * HOUR_MS, rates, 10 * MIN, until);
    const status = await world.engine.status(rollout.rolloutId, end);
    assert.equal(status.state, 'halted');
    assert.equal(status.stage.name, 'early');
    assert.ok(end - early <= HOUR_MS, `halted ${(end - early) / MIN} minutes after the silence`);
    assert.equal(status.haltedHealth?.silentDevices, 25);
    assert.match(status.haltReason ?? '', /25 of them devices gone silent/);
    const stored = await world.repository.get(rollout.rolloutId);
    assert.deepEqual([...stored!.evidence!.silentDeviceIds].sort(), [...bricked].sort());
  });

  it('does not count a device that is still heard from, however long ago its job ended', async () => {
    const { world, rollout } = await runUntilSettled({ old: 0.05, new: 0.05 });
    const done = await world.repository.get(rollout.rolloutId);
    assert.equal(done?.state, 'completed');
    assert.equal(done?.evidence?.silentDeviceIds.length, 0);
  });

  it('advances stage by stage to completion on a clean rollout (new ≈ old)', async () => {
    const { world, rollout } = await runUntilSettled({ old: 0.2, new: 0.2 });
    const done = await world.repository.get(rollout.rolloutId);
    assert.equal(done?.state, 'completed');
    const steps = advances(done);
    assert.equal(steps.length, 4);
    // Each stage lasted at least its duration: canary 24 h, 1 % 72 h, then 24 h each.
    const at = [T0, ...steps.map((s) => s.at)];
    [24, 72, 24, 24].forEach((h, k) => assert.ok(at[k + 1]! - at[k]! >= h * HOUR_MS, `stage ${k}`));
    const status = await world.engine.status(rollout.rolloutId, done!.updatedAt);
    assert.equal(status.totals.onNewVersion, 1000);
    assert.equal(status.totals.onNewVersionPct, 100);
    assert.deepEqual(
      status.stages.map((s) => s.cohortSize),
      [10, 10, 100, 250, 1000],
    );
    assert.equal(new Set(world.sent.map((j) => j.device_id)).size, 1000, 'each device sent once');
  });

  it('continues after a release, judging health afresh from the release', async () => {
    const world = new RolloutWorld({
      devices: 1000,
      stores: ['s1', 's2'],
      hardwareRevs: ['A', 'B'],
    });
    const rollout = await world.engine.create(spec(), T0);
    let haltedAt = Infinity;
    // A burst of errors on the new version that clears up once people look at it.
    const rates = { old: 0.2, new: (now: number) => (now < haltedAt ? 0.8 : 0.2) };
    const stopAt = await world.run(
      T0,
      T0 + 14 * 24 * HOUR_MS,
      rates,
      10 * MIN,
      async () => (await world.repository.get(rollout.rolloutId))!.state === 'halted',
    );
    haltedAt = stopAt;
    await world.engine.release(rollout.rolloutId, stopAt, 'ops:anna');
    // The same window that halted it does not halt it again.
    await world.engine.tick(stopAt + 1);
    assert.equal((await world.repository.get(rollout.rolloutId))?.state, 'running');
    await world.run(
      stopAt + 1,
      stopAt + 14 * 24 * HOUR_MS,
      rates,
      10 * MIN,
      async () => (await world.repository.get(rollout.rolloutId))!.state !== 'running',
    );
    const done = await world.repository.get(rollout.rolloutId);
    assert.equal(done?.state, 'completed');
    assert.deepEqual(
      done!.history.map((h) => h.action).filter((a) => a === 'halt' || a === 'release'),
      ['halt', 'release'],
    );
    assert.equal(done!.history.find((h) => h.action === 'release')?.by, 'ops:anna');
  });
});

describe('rollout engine: people and devices', () => {
  it('stops sending after an abort and leaves updated devices as they are', async () => {
    const world = new RolloutWorld({ devices: 200 });
    const rollout = await world.engine.create(spec(), T0);
    await world.engine.tick(T0 + MIN);
    assert.equal(world.sent.length, 10, 'the canary');
    await world.engine.abort(rollout.rolloutId, T0 + 2 * MIN, 'ops:anna');
    await world.run(T0 + 2 * MIN, T0 + 10 * 24 * HOUR_MS, { old: 0, new: () => 0 }, HOUR_MS);
    assert.equal(world.sent.length, 10);
    const status = await world.engine.status(rollout.rolloutId, T0 + 3 * MIN);
    assert.equal(status.state, 'aborted');
    assert.equal(status.totals.onNewVersion, 10);
    await assert.rejects(world.engine.release(rollout.rolloutId, T0, 'x'), {
      code: 'rollout-state',
    });
  });

  it('refuses a rollout whose CA generation some targets do not trust, naming how many and which', async () => {
    const world = new RolloutWorld({
      devices: 50,
      caGenerations: (i) => (i % 10 === 3 ? [1] : [1, 2]),
    });
    await assert.rejects(world.engine.create(spec(), T0), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ca-dependency');
      assert.match(error.message, /CA generation 2, which 5 of 50 targeted devices/);
      assert.match(error.message, /CART-00003, CART-00013/);
      return true;
    });
    assert.deepEqual(await world.repository.list(), [], 'nothing was created');
    // Narrowed to devices that trust it, the same image goes.
    const trusted = (await world.targets.list({ deviceClass: 'cart' }))
      .filter((t) => t.caGenerations.includes(2))
      .map((t) => t.deviceId);
    await world.engine.create(spec({ targets: { deviceIds: trusted } }), T0);
  });

  it('refuses empty and unknown targets', async () => {
    const world = new RolloutWorld({ devices: 5 });
    await assert.rejects(world.engine.create(spec({ targets: { storeIds: ['nowhere'] } }), T0), {
      code: 'no-targets',
    });
    await assert.rejects(world.engine.create(spec({ canaryDeviceIds: ['CART-99999'] }), T0), {
      code: 'unknown-targets',
    });
    await assert.rejects(world.engine.create(spec({ targetVersion: '9.9.9' }), T0), {
      code: 'invalid-rollout',
    });
  });

  it('re-sends a silent job with a new URL after the timeout, then marks it timed-out', async () => {
    const world = new RolloutWorld({ devices: 1 });
    world.updateOnSend = false;
    const rollout = await world.engine.create(spec({ jobTimeoutMs: HOUR_MS, maxAttempts: 3 }), T0);
    await world.engine.tick(T0);
    await world.engine.tick(T0 + 30 * MIN);
    assert.equal(world.sent.length, 1);
    await world.engine.tick(T0 + HOUR_MS);
    await world.engine.tick(T0 + 2 * HOUR_MS);
    assert.equal(world.sent.length, 3);
    assert.equal(new Set(world.sent.map((j) => j.url)).size, 3, 'a fresh URL each time');
    assert.equal(new Set(world.sent.map((j) => j.job_id)).size, 1, 'the same job');
    await world.engine.tick(T0 + 3 * HOUR_MS);
    await world.engine.tick(T0 + 9 * HOUR_MS);
    assert.equal(world.sent.length, 3);
    const [job] = await world.repository.jobsOf(rollout.rolloutId);
    assert.equal(job?.state, 'timed-out');
    assert.equal(job?.attempts, 3);
    assert.equal((await world.engine.status(rollout.rolloutId, T0)).totals.timedOut, 1);
  });

  it('counts a device that rolled back from the target version, once, beside those on it', async () => {
    const world = new RolloutWorld({ devices: 20 });
    const rollout = await world.engine.create(spec(), T0);
    await world.engine.tick(T0);
    const job = world.sent[0]!;
    const boot = {
      schema_version: 1 as const,
      device_id: job.device_id,
      type: 'boot' as const,
      counter: 9,
      ts: new Date(T0 + HOUR_MS).toISOString(),
      firmware_version: '1.4.0',
      slot: 'A' as const,
      rolled_back: true,
      previous_version: NEW,
      reset_reason: 'watchdog' as const,
      hardware_rev: 'A',
      boot_count: 4,
      ca_generations: [1, 2],
    };
    assert.equal(await world.engine.onBoot(job.device_id, boot, T0 + HOUR_MS), true);
    assert.equal(await world.engine.onBoot(job.device_id, boot, T0 + HOUR_MS), false, 'a replay');
    assert.deepEqual(world.rollbacks, [NEW]);
    const status = await world.engine.status(rollout.rolloutId, T0 + HOUR_MS);
    assert.equal(status.totals.rolledBack, 1);
    assert.equal(status.totals.onNewVersion, 9);
    assert.equal(status.stages[0]?.rolledBack, 1);
    // A late success report does not hide the rollback.
    await world.engine.onJobStatus(job.device_id, jobStatus(job, 'succeeded'), T0 + 2 * HOUR_MS);
    assert.equal((await world.engine.status(rollout.rolloutId, T0)).totals.rolledBack, 1);
  });

  it('records rejections with their reason and ignores reports for another device', async () => {
    const world = new RolloutWorld({ devices: 3 });
    world.updateOnSend = false;
    const rollout = await world.engine.create(spec(), T0);
    await world.engine.tick(T0);
    const [a, b] = world.sent;
    assert.equal(
      await world.engine.onJobStatus(b!.device_id, jobStatus(a!, 'received'), T0),
      false,
    );
    await world.engine.onJobStatus(a!.device_id, jobStatus(a!, 'downloading'), T0 + 1);
    await world.engine.onJobStatus(a!.device_id, jobStatus(a!, 'rejected', 'hash'), T0 + 2);
    const jobs = await world.repository.jobsOf(rollout.rolloutId);
    const rejected = jobs.find((j) => j.deviceId === a!.device_id);
    assert.equal(rejected?.state, 'rejected');
    assert.equal(rejected?.detail, 'hash');
    assert.equal((await world.engine.status(rollout.rolloutId, T0)).totals.rejected, 1);
  });

  it('says which rollout it changed: creation, ticks, job reports, abort; not a stranger report', async () => {
    const world = new RolloutWorld({ devices: 3 });
    world.updateOnSend = false;
    const rollout = await world.engine.create(spec(), T0);
    const id = rollout.rolloutId;
    assert.deepEqual(world.changed, [id]);
    await world.engine.tick(T0);
    assert.deepEqual(world.changed, [id, id]);
    const [a, b] = world.sent;
    await world.engine.onJobStatus(b!.device_id, jobStatus(a!, 'received'), T0);
    assert.equal(world.changed.length, 2, "another device's report changes nothing");
    await world.engine.onJobStatus(a!.device_id, jobStatus(a!, 'received'), T0 + 1);
    assert.equal(world.changed.length, 3);
    await world.engine.abort(id, T0 + 2, 'ops:anna');
    assert.deepEqual(world.changed.slice(3), [id]);
    await assert.rejects(world.engine.abort(id, T0 + 3, 'ops:anna'));
    assert.equal(world.changed.length, 4, 'a refused change is not reported');
  });

  it('re-delivers a device the job it was sent and never acknowledged, without another attempt, while the rollout runs', async () => {
    const world = new RolloutWorld({ devices: 3 });
    world.updateOnSend = false;
    const rollout = await world.engine.create(spec(), T0);
    await world.engine.tick(T0);
    const [a, b] = world.sent;
    const sentJobs = world.sent.length;
    await world.engine.onJobStatus(b!.device_id, jobStatus(b!, 'received'), T0 + 1);

    assert.equal(await world.engine.redeliver(a!.device_id, T0 + 5 * MIN), 1);
    const again = world.sent.at(-1)!;
    assert.equal(again.job_id, a!.job_id, 'the same job id');
    assert.notEqual(again.url, a!.url, 'with a fresh download URL');
    const job = (await world.repository.jobsOf(rollout.rolloutId)).find(
      (j) => j.jobId === a!.job_id,
    );
    assert.equal(job?.attempts, 1, 'not another attempt');
    assert.equal(job?.lastSentAt, T0 + 5 * MIN, 'its timeout counts from the re-delivery');
    assert.equal(await world.engine.redeliver(b!.device_id, T0 + 5 * MIN), 0, 'acknowledged');
    assert.equal(await world.engine.redeliver('CART-404', T0 + 5 * MIN), 0);
    await world.engine.abort(rollout.rolloutId, T0 + 6 * MIN, 'ops:anna');
    assert.equal(await world.engine.redeliver(a!.device_id, T0 + 7 * MIN), 0, 'aborted');
    assert.equal(world.sent.length, sentJobs + 1);
  });
});
