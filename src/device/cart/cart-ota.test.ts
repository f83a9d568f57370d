import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, it } from 'node:test';
import type { OtaJob, ServerTime } from '../../contract/index.js';
import { FakeDeviceApi } from '../../../test-support/fake-device-api.js';
import {
  firmwareImage,
  firmwareSigner,
  fleetCaRootPem,
  otaJob,
  type FirmwareImage,
} from '../../../test-support/firmware-jobs.js';
import { testCart, until } from '../../../test-support/test-cart.js';
import type { CartOptions } from './cart-types.js';
import type { LinkFactory, LinkHandlers } from './uplink.js';

const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };
const HOUR = 3_600_000;
const signer = firmwareSigner();

/** The device API's OTA routes: server time from the simulated world, images by signed URL. */
class OtaDeviceApi extends FakeDeviceApi {
  readonly images = new Map<string, Uint8Array>();
  now: () => number = Date.now;
  /** Answers with another nonce than the one asked (a replayed answer). */
  replayNonce = false;

  async serverTime(nonce: string): Promise<ServerTime> {
    await Promise.resolve();
    return {
      schema_version: 1,
      type: 'server-time',
      nonce: this.replayNonce ? 'x'.repeat(32) : nonce,
      server_time: new Date(this.now()).toISOString(),
    };
  }

  async firmware(url: string): Promise<Uint8Array> {
    await Promise.resolve();
    const image = this.images.get(url);
    if (!image) throw new Error('firmware: HTTP 403');
    return image;
  }
}

/** A test cart whose link hands the test its handlers, so it can deliver ota-jobs. */
async function otaCart(t: TestContext, extra: Partial<CartOptions> = {}) {
  const api = new OtaDeviceApi();
  // The broker exists only once testCart made it; the cart connects after that.
  const inner: { factory?: LinkFactory } = {};
  let handlers: LinkHandlers | undefined;
  const trustPems: (string | undefined)[] = [];
  const link: LinkFactory = {
    connect: (radio, h, trustPem) => {
      handlers = h;
      trustPems.push(trustPem);
      return inner.factory!.connect(radio, h, trustPem);
    },
  };
  const tc = await testCart(t, {
    timing: CALM,
    api,
    extra: { link, firmwareSigningKey: signer.publicKey, ...extra },
  });
  inner.factory = tc.broker.factory;
  api.now = () => tc.clock.now();
  const publish = (firmware: FirmwareImage, image = firmware.image): OtaJob => {
    const job = otaJob(tc.cart.deviceId, firmware, tc.clock.now());
    api.images.set(job.url, image);
    handlers!.job(job);
    return job;
  };
  const statuses = (jobId: string) =>
    tc.broker
      .of('job-status')
      .filter((s) => s.job_id === jobId)
      .map((s) => (s.reason ? `${s.status}:${s.reason}` : s.status));
  return { ...tc, api, publish, statuses, trustPems };
}

const INSTALLED = ['received', 'downloading', 'verifying', 'installing', 'rebooting', 'succeeded'];

describe('cart OTA', () => {
  for (const skew of [12 * HOUR, -12 * HOUR]) {
    it(`updates from an ota-job with its clock ${skew > 0 ? 'ahead' : 'behind'} 12 h: statuses, a reboot into slot B, the new version reported`, async (t) => {
      const c = await otaCart(t);
      await c.cart.powerOn();
      c.cart.faults.setClockSkew(skew);
      const now = c.clock.now();
      const job = c.publish(
        firmwareImage(signer, now, {
          issued_at: new Date(now - 2 * HOUR).toISOString(),
          expires_at: new Date(now + 2 * HOUR).toISOString(),
        }),
      );
      await until(() => c.statuses(job.job_id).length === INSTALLED.length, 'succeeded');
      assert.deepEqual(c.statuses(job.job_id), INSTALLED);
      const boots = c.broker.of('boot');
      assert.equal(boots.length, 2);
      const boot = boots[1]!;
      assert.deepEqual(
        [boot.slot, boot.firmware_version, boot.previous_version, boot.reset_reason],
        ['B', '2.5.0', '2.4.1', 'ota'],
      );
      assert.equal(boot.rolled_back, false);
      await until(
        () => c.broker.of('health').some((h) => h.firmware_version === '2.5.0'),
        'health',
      );
      assert.deepEqual(c.broker.rejected, []);
    });
  }

  it('rolls back a build that crashes before mark-good; the boot message says so', async (t) => {
    const c = await otaCart(t, { crashBeforeMarkGood: (v) => v === '2.5.0' });
    await c.cart.powerOn();
    const job = c.publish(firmwareImage(signer, c.clock.now()));
    await until(() => c.statuses(job.job_id).at(-1) === 'failed:rolled-back', 'rolled back');
    assert.deepEqual(c.statuses(job.job_id), [...INSTALLED.slice(0, 5), 'failed:rolled-back']);
    const boots = c.broker.of('boot');
    assert.deepEqual(
      boots.map((b) => [b.slot, b.firmware_version, b.rolled_back, b.reset_reason]),
      [
        ['A', '2.4.1', false, 'power-on'],
        ['B', '2.5.0', false, 'ota'],
        ['A', '2.4.1', true, 'panic'],
      ],
    );
    assert.equal(boots[2]!.previous_version, '2.5.0');
  });

  it('waits for the customer to finish before it reboots into the update', async (t) => {
    const c = await otaCart(t);
    await c.cart.powerOn();
    await c.cart.startAsGuest();
    const job = c.publish(firmwareImage(signer, c.clock.now()));
    await until(() => c.statuses(job.job_id).includes('verifying'), 'verified');
    await c.cart.flush(2000);
    assert.deepEqual(c.statuses(job.job_id), ['received', 'downloading', 'verifying']);
    assert.equal(c.broker.of('boot').length, 1, 'no reboot mid-session');
    await c.cart.abandon();
    await until(() => c.statuses(job.job_id).at(-1) === 'succeeded', 'installed after');
    assert.equal(c.broker.of('boot').at(-1)?.firmware_version, '2.5.0');
  });

  it('refuses forged and tampered images and stays on its version', async (t) => {
    const c = await otaCart(t);
    await c.cart.powerOn();
    const forged = c.publish(firmwareImage(firmwareSigner(), c.clock.now()));
    await until(() => c.statuses(forged.job_id).length === 2, 'forged refused');
    const good = firmwareImage(signer, c.clock.now());
    const tampered = c.publish(
      good,
      good.image.map((b, i) => (i === 0 ? b ^ 1 : b)),
    );
    await until(() => c.statuses(tampered.job_id).length === 4, 'tampered refused');
    await c.cart.flush(2000);
    assert.deepEqual(c.statuses(forged.job_id), ['received', 'rejected:signature']);
    assert.deepEqual(c.statuses(tampered.job_id), [
      'received',
      'downloading',
      'verifying',
      'rejected:hash',
    ]);
    assert.equal(c.broker.of('boot').length, 1);
  });

  it('without a firmware-signing key rejects every job with signature, and says so', async (t) => {
    const c = await otaCart(t, { firmwareSigningKey: undefined });
    await c.cart.powerOn();
    const job = c.publish(firmwareImage(signer, c.clock.now()));
    await until(() => c.statuses(job.job_id).length === 2, 'rejected');
    assert.deepEqual(c.statuses(job.job_id), ['received', 'rejected:signature']);
    assert.ok(c.warnings.some((w) => /firmware-signing key/.test(w.message)));
  });

  it('fails the job when the server-time answer does not echo its nonce', async (t) => {
    const c = await otaCart(t);
    await c.cart.powerOn();
    c.api.replayNonce = true;
    const job = c.publish(firmwareImage(signer, c.clock.now()));
    await until(() => c.statuses(job.job_id).length === 2, 'failed');
    assert.deepEqual(c.statuses(job.job_id), ['received', 'failed:server-time']);
  });

  it('trusts a new CA generation from trust-ca: both roots, shadow and next boot report it, its images are accepted', async (t) => {
    const c = await otaCart(t);
    await c.cart.powerOn();
    const needsGen2 = c.publish(firmwareImage(signer, c.clock.now(), { ca_generation: 2 }));
    await until(() => c.statuses(needsGen2.job_id).length === 2, 'refused');
    assert.equal(c.statuses(needsGen2.job_id)[1], 'rejected:ca-generation');

    const root2 = await fleetCaRootPem('fleet root 2');
    c.broker.command('trust-ca', { ca_generation: 2, ca_root_pem: root2 });
    await until(
      () => c.broker.of('shadow-report').length > 0 && c.broker.of('command-response').length > 0,
      'shadow report and command response',
    );
    assert.equal(c.broker.of('command-response')[0]?.status, 'succeeded');
    assert.deepEqual(c.broker.of('shadow-report')[0]?.reported.ca_generations, [1, 2]);

    const job = c.publish(firmwareImage(signer, c.clock.now(), { ca_generation: 2 }));
    await until(() => c.statuses(job.job_id).at(-1) === 'succeeded', 'installed');
    const boot = c.broker.of('boot').at(-1)!;
    assert.deepEqual(boot.ca_generations, [1, 2]);
    // The connection after the reboot verifies the broker with the new root as well.
    assert.ok(c.trustPems.at(-1)?.includes(root2.trim()));
  });
});
