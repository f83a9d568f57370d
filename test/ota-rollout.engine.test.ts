import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apiRequest, apiToken } from '../test-support/api-client.js';
import { capture } from '../test-support/cli.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  STORE,
  startTestPlatform,
  suitePlatform,
} from '../test-support/platform.js';
import { platformCart } from '../test-support/platform-cart.js';
import { exposed, parseExposition } from '../test-support/prometheus-text.js';
import { otaCommands } from '../src/cli/ota/index.js';
import { main } from '../src/cli/main.js';
import { ScaledClock } from '../src/device/clock/sim-clock.js';
import { entityStorePorts } from '../src/domain/ota/rollout/sql/entity-store-ports.js';
import { loadFirmwareSigningPublicKey } from '../src/domain/ota/signing/index.js';

const HOUR = 3_600_000;

/** `ota build` of 2.5.0 for the cart model's hardware, signed with `data`'s firmware key. */
function build(data: string, image: string, manifest: string): Promise<string> {
  const flags = ['--version', '2.5.0', '--hardware', 'v2-proto'];
  return ota('build', '--data', data, '--image', image, '--out', manifest, ...flags);
}

/** The two fields an ota-job (and POST /v1/ota/rollouts) carries, from a manifest file. */
async function signedFields(manifest: string): Promise<{ signed: string; signature: string }> {
  const file = JSON.parse(await readFile(manifest, 'utf8')) as {
    signed: string;
    signature: string;
  };
  return { signed: file.signed, signature: file.signature };
}

async function ota(...argv: string[]): Promise<string> {
  const io = capture();
  const code = await main(['ota', ...argv], io, otaCommands());
  assert.equal(code, 0, io.text());
  return io.text();
}

// The whole OTA path on the embedded platform: ota build signs with the data directory's
// firmware-signing key, `ota rollout create` uploads the image and starts the rollout through
// the API, the engine publishes jobs over MQTT, real carts (clocks 12 hours off) take the
// server-time challenge and download through a signed URL over mutual TLS, and their boot
// messages tell the cloud who is on the new version and who rolled back.
describe('OTA rollout end to end (embedded platform, real carts)', () => {
  it('updates one cart, counts the one that crashes before mark-good as rolled back', async (t) => {
    const data = await fleetDataDir(t);
    const good = await provisionDevice(data, 'CART-OTA-1');
    const crashing = await provisionDevice(data, 'CART-OTA-2');
    const image = join(data, 'fw-2.5.0.bin');
    const manifest = join(data, 'fw-2.5.0.manifest.json');
    await writeFile(image, randomBytes(32 * 1024));
    await build(data, image, manifest);

    const platform = await startTestPlatform(t, data, { otaTickMs: 100 });
    const firmwareSigningKey = await loadFirmwareSigningPublicKey(data);
    // Both carts' own clocks run 12 hours ahead of the cloud: the manifest's validity window is
    // judged by the server-time challenge, not by them.
    const clock = new ScaledClock({ start: Date.now() + 12 * HOUR, speed: 60 });
    const carts = await Promise.all([
      platformCart(t, platform, good, clock, { firmwareSigningKey }),
      platformCart(t, platform, crashing, clock, {
        firmwareSigningKey,
        crashBeforeMarkGood: (version) => version === '2.5.0',
      }),
    ]);
    await Promise.all(carts.map((c) => c.powerOn()));
    const targets = entityStorePorts(platform.entities).targets;
    await eventually(async () => {
      const known = await targets.list({ deviceClass: 'cart' });
      return known.length === 2 && known.every((d) => d.caGenerations.includes(1))
        ? true
        : undefined;
    }, 'both carts booted and reported their CA generation');

    const created = await ota(
      'rollout',
      'create',
      '--data',
      data,
      '--manifest',
      manifest,
      '--image',
      image,
    );
    const rolloutId = /Rollout ([0-9a-f-]{36}) started/.exec(created)?.[1];
    assert.ok(rolloutId, created);

    const status = await eventually(
      async () => {
        const s = await apiRequest(platform, 'GET', `/v1/ota/rollouts/${rolloutId}`);
        const totals = s.body['totals'] as { onNewVersion: number; rolledBack: number };
        return totals.onNewVersion === 1 && totals.rolledBack === 1 ? s.body : undefined;
      },
      'one cart on 2.5.0 and one rolled back',
      60_000,
    );
    assert.equal(status['state'], 'running');
    assert.equal(carts[0]!.firmwareVersion, '2.5.0');
    assert.equal(carts[1]!.firmwareVersion, '2.4.1');

    const metrics = await platform.metrics.registry.metrics();
    assert.match(metrics, /fleetplane_firmware_rollback_count\{target_version="2\.5\.0"\} 1/);
    // The rollout's devices per job state, refreshed on every tick while it is active.
    const rolloutGauge = async () =>
      exposed(parseExposition(await platform.metrics.text()), 'fleetplane_ota_rollout_devices', {
        rollout: rolloutId,
      });
    const states = await eventually(async () => {
      const byState = Object.fromEntries(
        (await rolloutGauge()).filter((s) => s.value > 0).map((s) => [s.labels['state'], s.value]),
      );
      return byState['succeeded'] === 1 && byState['rolled-back'] === 1 ? byState : undefined;
    }, 'the gauge showing one succeeded and one rolled back');
    assert.deepEqual(states, { succeeded: 1, 'rolled-back': 1 });
    // And the rollout counts as running (the halted alert of decision 038 reads the same gauge).
    const rollouts = exposed(
      parseExposition(await platform.metrics.text()),
      'fleetplane_ota_rollouts',
    );
    assert.deepEqual(Object.fromEntries(rollouts.map((s) => [s.labels['state'], s.value])), {
      running: 1,
      halted: 0,
    });
    const devices = await targets.list({ deviceClass: 'cart' });
    assert.deepEqual(
      devices.map((d) => [d.deviceId, d.firmwareVersion]),
      [
        ['CART-OTA-1', '2.5.0'],
        ['CART-OTA-2', '2.4.1'],
      ],
    );
    const shown = await ota('rollout', 'status', '--data', data, '--id', rolloutId);
    assert.match(
      shown,
      /on new version 1\/2 \(50\.0 %\)\s+rolled back from new version 1 \(50\.0 %\)/,
    );

    assert.match(await ota('rollout', 'abort', '--data', data, '--id', rolloutId), /is aborted/);
    await eventually(
      async () => ((await rolloutGauge()).length === 0 ? true : undefined),
      'the aborted rollout dropped from the gauge',
    );
    const io = capture();
    const code = await main(
      ['ota', 'rollout', 'release', '--data', data, '--id', rolloutId],
      io,
      otaCommands(),
    );
    assert.equal(code, 1, 'an aborted rollout cannot be released');
    assert.match(io.text(), /409/);
  });

  // The last two tests share one platform on the default configuration. Its data directory has
  // its own firmware key (made by `ota build` before the platform starts) and a manifest signed
  // with it whose image was never uploaded.
  const shared = suitePlatform(async (data) => {
    await provisionDevice(data, 'CART-OTA-3');
    const image = join(data, 'fw.bin');
    await writeFile(image, randomBytes(1024));
    await build(data, image, join(data, 'm.json'));
  });

  it('refuses a rollout whose manifest another key signed, and one whose image was never uploaded', async (t) => {
    const { data, platform } = shared();
    const other = await fleetDataDir(t);
    const image = join(other, 'fw.bin');
    const manifest = join(other, 'fw.manifest.json');
    await writeFile(image, randomBytes(1024));
    await build(other, image, manifest);
    // This platform's own key exists, but did not sign that manifest.
    const foreign = await apiRequest(platform, 'POST', '/v1/ota/rollouts', {
      body: { manifest: await signedFields(manifest) },
    });
    assert.equal(foreign.status, 422);
    assert.equal(foreign.body['error'], 'manifest-refused');

    const missing = await apiRequest(platform, 'POST', '/v1/ota/rollouts', {
      body: { manifest: await signedFields(join(data, 'm.json')) },
    });
    assert.equal(missing.status, 409);
    assert.equal(missing.body['error'], 'image-missing');
  });

  it("sets a store's maintenance windows: ops or that store's staff, checked before stored", async () => {
    const { platform } = shared();
    const path = `/v1/stores/${STORE}/maintenance-windows`;
    const ok = await apiRequest(platform, 'PUT', path, {
      token: await apiToken(platform, 'staff', STORE),
      body: { windows: ['22:00-05:00'] },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const other = await apiRequest(platform, 'PUT', path, {
      token: await apiToken(platform, 'staff', 'hamburg-2'),
      body: { windows: ['02:00-04:00'] },
    });
    assert.equal(other.status, 403);
    const bad = await apiRequest(platform, 'PUT', path, { body: { windows: ['2am-4am'] } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body['message']), /HH:MM/);
    const unknown = await apiRequest(platform, 'PUT', '/v1/stores/nowhere-9/maintenance-windows', {
      body: { windows: [] },
    });
    assert.equal(unknown.status, 404);
    const schedules = await entityStorePorts(platform.entities).calendar.schedules([STORE]);
    assert.deepEqual(schedules[0]?.windows, ['22:00-05:00']);
  });

  it("keeps a store's opening hours on its record, refusing bad ones with a 400 that says why", async () => {
    const { platform } = shared();
    const path = `/v1/stores/${STORE}/opening-hours`;
    const week = { mon: ['08:00-20:00'], tue: ['08:00-20:00'], wed: ['08:00-20:00'] };
    const hours = {
      ...week,
      thu: ['08:00-20:00'],
      fri: ['08:00-22:00'],
      sat: ['09:00-18:00'],
      sun: [],
    };
    const ok = await apiRequest(platform, 'PUT', path, {
      token: await apiToken(platform, 'staff', STORE),
      body: { hours, timezone: 'Europe/Berlin' },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body['opening_hours'], hours);
    assert.equal(ok.body['timezone'], 'Europe/Berlin');
    const read = await apiRequest(platform, 'GET', path, {});
    assert.deepEqual(read.body['opening_hours'], hours);
    const cases: [unknown, RegExp][] = [
      [{ hours: { ...hours, fri: ['8am-10pm'] } }, /fri: .*HH:MM-HH:MM/],
      [{ hours: week }, /thu/],
      [{ hours: { ...hours, sun: ['10:00-10:00'] } }, /sun: .*distinct start and end/],
      [{ hours, timezone: 'Mars/Olympus' }, /Mars\/Olympus.*IANA/],
      [{ hours: { ...hours, someday: [] } }, /someday|additional/],
    ];
    for (const [body, why] of cases) {
      const bad = await apiRequest(platform, 'PUT', path, { body });
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.match(String(bad.body['message']), why);
    }
    const other = await apiRequest(platform, 'PUT', path, {
      token: await apiToken(platform, 'staff', 'hamburg-2'),
      body: { hours },
    });
    assert.equal(other.status, 403);
    const schedules = await entityStorePorts(platform.entities).calendar.schedules([STORE]);
    assert.deepEqual(schedules[0]?.openingHours, hours, 'the refused ones changed nothing');
    assert.equal(schedules[0]?.timezone, 'Europe/Berlin');
  });
});
