import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDevice } from '../../../../../test-support/entity-events.js';
import { jobStatus, sequentialIds, spec, T0 } from '../../../../../test-support/ota-rollout.js';
import type { OtaJob } from '../../../../contract/index.js';
import { RolloutEngine } from '../rollout-engine.js';
import { ThreadedEntityStore } from '../../../../stores/entities/thread/threaded-entity-store.js';
import { runRolloutPortsContract } from '../ports.contract.js';
import { entityStorePortsUnderTest } from './entity-store-ports.contract.js';

// One PGlite store for the file, in its own thread as the platform runs it, so every OtaRecords
// method is also checked across the thread boundary. Tests keep apart by their own ids.
let opened: Promise<{ dir: string; store: ThreadedEntityStore }> | undefined;
after(async () => {
  if (!opened) return;
  const { dir, store } = await opened;
  await store.close();
  await rm(dir, { recursive: true, force: true });
});
async function shared(): Promise<ThreadedEntityStore> {
  opened ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetplane-ota-'));
    return { dir, store: await ThreadedEntityStore.open({ dataDir: dir }) };
  })();
  return (await opened).store;
}

runRolloutPortsContract('PGlite entity store, through its thread', async () =>
  entityStorePortsUnderTest(await shared()),
);

describe('OTA projection (PGlite)', () => {
  it('counts a re-projected fault or failed boot once', async () => {
    const store = await shared();
    const cart = new TestDevice('OTA-REPLAY-1', 'ota-replay');
    const boot = cart.event('boot', { firmware_version: '2.0.0', reset_reason: 'panic' });
    const fault = cart.event('fault', { code: 'scanner-jam', severity: 'warning' });
    await store.project([boot, fault]);
    await store.project([boot, fault]);
    const sample = await store.measureVersionHealth({
      targets: { deviceClass: 'cart', storeIds: ['ota-replay'] },
      version: '2.0.0',
      from: 0,
      to: fault.deviceTime + 1,
    });
    assert.equal(sample.target.events, 2);
  });

  it('takes CA generations from a shadow report as well as from a boot, newest counter winning', async () => {
    const store = await shared();
    const cart = new TestDevice('OTA-CA-1', 'ota-ca');
    const boot = cart.event('boot', { ca_generations: [1] });
    const report = cart.event('shadow-report', { reported: { ca_generations: [1, 2] } });
    await store.project([report, boot]);
    const [target] = await store.listOtaTargets({ deviceClass: 'cart', deviceIds: ['OTA-CA-1'] });
    assert.deepEqual(target?.caGenerations, [1, 2]);
  });
});

describe('rollout engine over the entity store (PGlite)', () => {
  it('creates, sends, records status and shows it, all from the stored records', async () => {
    const store = await shared();
    const ports = entityStorePortsUnderTest(store);
    const storeId = 'ota-engine-store';
    for (let i = 0; i < 12; i++) {
      const facts = { version: '1.4.0', hardwareRev: 'A', caGenerations: [1, 2] };
      await ports.boot(`OTA-ENG-${i}`, storeId, facts, T0);
    }
    const sent: OtaJob[] = [];
    const engine = new RolloutEngine(
      {
        ...ports,
        sender: { send: async (_id, job) => void sent.push(job) },
        urls: { mint: (id, now) => ({ url: `https://fw.test/${id}`, expiresAt: now + 60_000 }) },
      },
      { newId: sequentialIds(7) },
    );
    const rollout = await engine.create(spec({ targets: { storeIds: [storeId] } }), T0);
    await engine.tick(T0 + 1000);
    // The file's store also holds the contract tests' rollouts, which this engine ticks too.
    const ours = sent.filter((j) => j.rollout_id === rollout.rolloutId);
    assert.equal(ours.length, 10, 'the canary');
    await engine.onJobStatus(ours[0]!.device_id, jobStatus(ours[0]!, 'succeeded'), T0 + 2000);
    await engine.onJobStatus(
      ours[1]!.device_id,
      jobStatus(ours[1]!, 'rejected', 'hash'),
      T0 + 2000,
    );
    const status = await engine.status(rollout.rolloutId, T0 + 3000);
    assert.equal(status.state, 'running');
    assert.equal(status.totals.devices, 12);
    assert.equal(status.stages[0]?.sent, 8);
    assert.equal(status.totals.onNewVersion, 1);
    assert.equal(status.totals.rejected, 1);
    assert.equal(status.lastHealth?.verdict, 'insufficient-data');
    await engine.abort(rollout.rolloutId, T0 + 4000, 'ops:test');
    assert.equal((await engine.list({ states: ['aborted'] }))[0]?.rolloutId, rollout.rolloutId);
  });
});
