import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OtaManifest } from '../../contract/index.js';
import { BootSlots, memoryBootStore } from './boot-slots.js';

const manifest = (version: string, minVersion = '2.4.0'): OtaManifest => ({
  version,
  device_class: 'cart',
  hardware_revisions: ['v2-proto'],
  size: 1,
  sha256: '0'.repeat(64),
  issued_at: '2026-01-01T00:00:00.000Z',
  expires_at: '2027-01-01T00:00:00.000Z',
  min_version: minVersion,
  ca_generation: 1,
});

/** A reset: RAM is gone, the bootloader reads its state again and boots. */
async function reset(store: ReturnType<typeof memoryBootStore>) {
  const slots = await BootSlots.open(store, '2.4.1');
  return { slots, outcome: await slots.boot() };
}

describe('A/B boot slots', () => {
  it('boots the factory image from slot A on a fresh device', async () => {
    const { outcome } = await reset(memoryBootStore());
    assert.deepEqual(outcome, {
      slot: 'A',
      version: '2.4.1',
      rolledBack: false,
      trial: false,
      bootCount: 1,
    });
  });

  it('tries a staged image once, and commits it with mark-good (the floor rises)', async () => {
    const store = memoryBootStore();
    const first = await reset(store);
    await first.slots.stage(manifest('2.5.0', '2.4.5'), 'job-1');
    const trial = await reset(store);
    assert.equal(trial.outcome.slot, 'B');
    assert.equal(trial.outcome.version, '2.5.0');
    assert.equal(trial.outcome.trial, true);
    assert.equal(trial.outcome.previousVersion, '2.4.1');
    assert.equal(trial.outcome.jobId, 'job-1');
    assert.equal(trial.slots.runningVersion, '2.5.0');
    assert.equal(await trial.slots.markGood(), true);
    assert.equal(trial.slots.floor, '2.4.5');

    const after = await reset(store);
    assert.deepEqual(
      { slot: after.outcome.slot, version: after.outcome.version, trial: after.outcome.trial },
      { slot: 'B', version: '2.5.0', trial: false },
    );
    assert.equal(after.outcome.rolledBack, false);
  });

  it('returns to the old slot when the trial boots again without mark-good (a crash)', async () => {
    const store = memoryBootStore();
    await (await reset(store)).slots.stage(manifest('2.5.0'), 'job-1');
    await reset(store); // the trial boot, which crashes before marking itself good
    const back = await reset(store);
    assert.deepEqual(back.outcome, {
      slot: 'A',
      version: '2.4.1',
      rolledBack: true,
      previousVersion: '2.5.0',
      trial: false,
      jobId: 'job-1',
      bootCount: 3,
    });
    assert.equal(back.slots.trial, undefined);
    assert.equal(back.slots.floor, undefined, 'a failed trial never raises the floor');
    const next = await reset(store);
    assert.equal(next.outcome.rolledBack, false, 'the rollback is reported once');
  });

  it('marks good only while a trial runs, and refuses to stage over a running trial', async () => {
    const store = memoryBootStore();
    const normal = await reset(store);
    assert.equal(await normal.slots.markGood(), false);
    await normal.slots.stage(manifest('2.5.0'), 'job-1');
    const trial = await reset(store);
    await assert.rejects(trial.slots.stage(manifest('2.6.0'), 'job-2'), /trial/);
  });

  it('never lowers the anti-rollback floor', async () => {
    const store = memoryBootStore();
    const a = await reset(store);
    await a.slots.stage(manifest('2.5.0', '2.5.0'), 'job-1');
    await (await reset(store)).slots.markGood();
    await (await reset(store)).slots.stage(manifest('2.6.0', '2.3.0'), 'job-2');
    const b = await reset(store);
    assert.equal(b.outcome.slot, 'A', 'the update goes to the slot not running');
    await b.slots.markGood();
    assert.equal(b.slots.floor, '2.5.0');
  });

  it('remembers finished jobs across resets', async () => {
    const store = memoryBootStore();
    await (await reset(store)).slots.finish('job-1');
    assert.equal((await reset(store)).slots.isFinished('job-1'), true);
  });
});
