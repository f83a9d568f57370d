import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OtaJob } from '../../contract/index.js';
import {
  firmwareImage,
  firmwareSigner,
  otaJob,
  type FirmwareImage,
} from '../../../test-support/firmware-jobs.js';
import { BootSlots, memoryBootStore, type BootOutcome } from './boot-slots.js';
import { FirmwareUpdater, type UpdaterPorts, type UpdateResetReason } from './firmware-updater.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const HOUR = 3_600_000;
const signer = firmwareSigner();

interface Report {
  status: string;
  jobId: string;
  target: string;
  reason?: string;
}

/**
 * One device in memory, as the OTA simulator runs it: the bootloader state in a memory store,
 * a new BootSlots and FirmwareUpdater per boot, server time from the "cloud" (true time) and the
 * device's own clock `skewMs` off.
 */
class Device {
  readonly store = memoryBootStore();
  readonly reports: Report[] = [];
  readonly boots: BootOutcome[] = [];
  readonly resets: UpdateResetReason[] = [];
  readonly images = new Map<string, Uint8Array>();
  trueNow = T0;
  skewMs = 0;
  idle = true;
  crashes = (_version: string) => false;
  slots!: BootSlots;
  updater!: FirmwareUpdater;

  readonly ports: UpdaterPorts = {
    deviceId: 'CART-0001',
    deviceClass: 'cart',
    hardwareRev: 'v2-proto',
    signingKey: signer.publicKey,
    trustedCaGenerations: () => [1],
    now: () => this.trueNow + this.skewMs,
    serverTime: () => Promise.resolve(this.trueNow),
    download: (url) => {
      const image = this.images.get(url);
      return image ? Promise.resolve(image) : Promise.reject(new Error('404'));
    },
    report: (status, jobId, target, reason) => {
      this.reports.push({ status, jobId, target, ...(reason ? { reason } : {}) });
      return Promise.resolve();
    },
    installAllowed: () => this.idle,
    reboot: async (reason) => {
      this.resets.push(reason);
      await this.powerOn();
    },
  };

  async powerOn(): Promise<void> {
    this.slots = await BootSlots.open(this.store, '2.4.1');
    const outcome = await this.slots.boot();
    this.boots.push(outcome);
    this.updater = new FirmwareUpdater(this.ports, this.slots);
    const after = await this.updater.afterBoot(outcome);
    if (after.kind === 'trial') {
      await this.updater.settleTrial(() => Promise.resolve(!this.crashes(outcome.version)));
    }
  }

  /** Publishes `firmware` (the signed URL serves `image`, default its own) and delivers the job. */
  job(firmware: FirmwareImage, image = firmware.image, jobId?: string): OtaJob {
    const job = otaJob('CART-0001', firmware, this.trueNow, jobId);
    this.images.set(job.url, image);
    return job;
  }

  statuses(jobId: string): string[] {
    return this.reports
      .filter((r) => r.jobId === jobId)
      .map((r) => (r.reason ? `${r.status}:${r.reason}` : r.status));
  }
}

async function device(): Promise<Device> {
  const d = new Device();
  await d.powerOn();
  return d;
}

const INSTALLED = ['received', 'downloading', 'verifying', 'installing', 'rebooting', 'succeeded'];

describe('firmware updater', () => {
  it('installs a good image: every status in order, a reboot into slot B, marked good', async () => {
    const d = await device();
    const job = d.job(firmwareImage(signer, T0));
    assert.deepEqual(await d.updater.onJob(job), { status: 'rebooted' });
    assert.deepEqual(d.statuses(job.job_id), INSTALLED);
    assert.deepEqual(d.resets, ['ota']);
    const boot = d.boots.at(-1)!;
    assert.deepEqual([boot.slot, boot.version, boot.previousVersion], ['B', '2.5.0', '2.4.1']);
    assert.equal(d.slots.trial, undefined);
    assert.equal(d.slots.runningVersion, '2.5.0');
    assert.equal(d.slots.floor, '2.4.0');
  });

  describe('refuses bad images and stages nothing', () => {
    const refused = async (
      make: (d: Device) => OtaJob,
      expected: string,
      status = 'rejected',
    ): Promise<void> => {
      const d = await device();
      const job = make(d);
      assert.deepEqual(await d.updater.onJob(job), { status, reason: expected });
      assert.equal(d.statuses(job.job_id).at(-1), `${status}:${expected}`);
      assert.equal(d.slots.trial, undefined, 'nothing staged');
      assert.deepEqual(d.resets, [], 'no reboot');
      assert.equal(d.slots.runningVersion, '2.4.1');
    };

    it('a manifest signed by another key (forged)', () =>
      refused((d) => d.job(firmwareImage(firmwareSigner(), T0)), 'signature'));

    it('manifest bytes altered after signing', () =>
      refused((d) => {
        const good = firmwareImage(signer, T0);
        const text = new TextDecoder().decode(good.signed).replace('2.5.0', '2.9.0');
        return d.job({ ...good, signed: new TextEncoder().encode(text) });
      }, 'signature'));

    it('an image whose bytes are not the signed ones (tampered)', () =>
      refused((d) => {
        const good = firmwareImage(signer, T0);
        const tampered = new Uint8Array(good.image);
        tampered[100] = tampered[100]! ^ 0xff;
        return d.job(good, tampered);
      }, 'hash'));

    it('an image of the wrong size', () =>
      refused((d) => {
        const good = firmwareImage(signer, T0);
        return d.job(good, good.image.subarray(1));
      }, 'size'));

    it('an expired manifest', () =>
      refused(
        (d) => d.job(firmwareImage(signer, T0, { expires_at: new Date(T0 - HOUR).toISOString() })),
        'expired',
      ));

    it('a downgrade to an older version', () =>
      refused(
        (d) => d.job(firmwareImage(signer, T0, { version: '2.3.9', min_version: '2.3.0' })),
        'downgrade',
      ));

    it('a server-time challenge that fails', () =>
      refused(
        (d) => {
          d.ports.serverTime = () => Promise.reject(new Error('ECONNREFUSED'));
          return d.job(firmwareImage(signer, T0));
        },
        'server-time',
        'failed',
      ));

    it('a download that fails', () =>
      refused(
        (d) => {
          const job = d.job(firmwareImage(signer, T0));
          d.images.clear();
          return job;
        },
        'download',
        'failed',
      ));

    it('a device without a firmware-signing key', () =>
      refused((d) => {
        (d.ports as { signingKey: unknown }).signingKey = undefined;
        return d.job(firmwareImage(signer, T0));
      }, 'signature'));
  });

  it('refuses an image below the anti-rollback floor even after a newer one was committed', async () => {
    const d = await device();
    await d.updater.onJob(
      d.job(firmwareImage(signer, T0, { version: '3.0.0', min_version: '3.0.0' })),
    );
    assert.equal(d.slots.floor, '3.0.0');
    const job = d.job(firmwareImage(signer, T0, { version: '2.9.0', min_version: '2.0.0' }));
    assert.deepEqual(await d.updater.onJob(job), { status: 'rejected', reason: 'downgrade' });
  });

  for (const skew of [12 * HOUR, -12 * HOUR]) {
    it(`updates with its own clock ${skew > 0 ? '12 h ahead' : '12 h behind'}: validity is judged by server time`, async () => {
      const d = await device();
      d.skewMs = skew;
      // Valid for one hour either side of true time: the device's own clock is outside it.
      const firmware = firmwareImage(signer, T0, {
        issued_at: new Date(T0 - HOUR).toISOString(),
        expires_at: new Date(T0 + HOUR).toISOString(),
      });
      const job = d.job(firmware);
      assert.deepEqual(await d.updater.onJob(job), { status: 'rebooted' });
      assert.deepEqual(d.statuses(job.job_id), INSTALLED);
    });
  }

  it('rolls back a crash before mark-good and reports the job failed with rolled-back', async () => {
    const d = await device();
    d.crashes = (version) => version === '2.5.0';
    const job = d.job(firmwareImage(signer, T0));
    await d.updater.onJob(job);
    assert.deepEqual(d.resets, ['ota', 'panic']);
    assert.deepEqual(
      d.boots.map((b) => [b.slot, b.version, b.rolledBack, b.previousVersion]),
      [
        ['A', '2.4.1', false, undefined],
        ['B', '2.5.0', false, '2.4.1'],
        ['A', '2.4.1', true, '2.5.0'],
      ],
    );
    assert.deepEqual(d.statuses(job.job_id), [...INSTALLED.slice(0, 5), 'failed:rolled-back']);
    assert.equal(d.slots.floor, undefined);
    assert.equal(d.slots.runningVersion, '2.4.1');
  });

  it('rolls back a trial that passes its self-test only after the mark-good deadline', async () => {
    const d = await device();
    const job = d.job(firmwareImage(signer, T0));
    d.crashes = () => {
      d.trueNow += 11 * 60_000; // the self-test hangs past the 10-minute deadline
      return false;
    };
    await d.updater.onJob(job);
    assert.deepEqual(d.resets, ['ota', 'watchdog']);
    assert.equal(d.statuses(job.job_id).at(-1), 'failed:rolled-back');
  });

  it('does not install twice when the job is delivered again, during the run or after reboot', async () => {
    const d = await device();
    const job = d.job(firmwareImage(signer, T0));
    const [first, again] = await Promise.all([d.updater.onJob(job), d.updater.onJob(job)]);
    assert.deepEqual(first, { status: 'rebooted' });
    assert.deepEqual(again, { status: 'duplicate' });
    // The updater after the reboot is new (RAM is gone); the finished id is in the boot state.
    assert.deepEqual(await d.updater.onJob(job), { status: 'duplicate' });
    assert.deepEqual(d.resets, ['ota']);
    assert.deepEqual(d.statuses(job.job_id), INSTALLED);
  });

  it('waits while a customer shops and installs once the device is idle', async () => {
    const d = await device();
    d.idle = false;
    const job = d.job(firmwareImage(signer, T0));
    assert.deepEqual(await d.updater.onJob(job), { status: 'waiting' });
    assert.deepEqual(d.statuses(job.job_id), ['received', 'downloading', 'verifying']);
    assert.equal(d.slots.trial, undefined);
    assert.equal(await d.updater.resume(), undefined, 'still shopping: still waiting');
    assert.deepEqual(await d.updater.onJob(job), { status: 'duplicate' });
    d.idle = true;
    const updater = d.updater;
    assert.deepEqual(await updater.resume(), { status: 'rebooted' });
    assert.deepEqual(d.statuses(job.job_id), INSTALLED);
    assert.equal(d.slots.runningVersion, '2.5.0');
  });

  it('answers a second job while one waits with failed busy', async () => {
    const d = await device();
    d.idle = false;
    await d.updater.onJob(d.job(firmwareImage(signer, T0)));
    const other = d.job(firmwareImage(signer, T0, { version: '2.6.0' }));
    assert.deepEqual(await d.updater.onJob(other), { status: 'failed', reason: 'busy' });
  });

  it('refuses an image that needs a CA generation the device does not trust yet', async () => {
    const d = await device();
    const job = d.job(firmwareImage(signer, T0, { ca_generation: 2 }));
    assert.deepEqual(await d.updater.onJob(job), { status: 'rejected', reason: 'ca-generation' });
    d.ports.trustedCaGenerations = () => [1, 2];
    const again = d.job(firmwareImage(signer, T0, { ca_generation: 2 }));
    assert.deepEqual(await d.updater.onJob(again), { status: 'rebooted' });
  });
});
