import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DeviceMessage, JobStatus } from '../src/contract/index.js';
import { apiRequest } from '../test-support/api-client.js';
import { capture } from '../test-support/cli.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../test-support/platform.js';
import { main } from '../src/cli/main.js';
import { otaCommands } from '../src/cli/ota/index.js';
import { entityStorePorts } from '../src/domain/ota/rollout/sql/entity-store-ports.js';
import { loadFirmwareSigningPublicKey } from '../src/domain/ota/signing/index.js';
import { httpsDeviceApi } from '../src/device/cart/device-api-client.js';
import { ScaledClock } from '../src/device/clock/sim-clock.js';
import { loadProvisionedDevice } from '../src/device/link/device-link.js';
import { mqttLinkFactory } from '../src/device/link/link-factory.js';
import { mulberry32 } from '../src/device/random.js';
import {
  COLDCHAIN_FIRMWARE,
  COLDCHAIN_HARDWARE_REV,
  ColdchainSensor,
} from '../src/device/coldchain/coldchain-sensor.js';
import { Reefer } from '../src/device/coldchain/reefer.js';

async function ota(...argv: string[]): Promise<string> {
  const io = capture();
  const code = await main(['ota', ...argv], io, otaCommands());
  assert.equal(code, 0, io.text());
  return io.text();
}

// The cart's OTA path, for a cohort of cold-chain sensors: an image signed for the coldchain
// class, a rollout through the API targeting that class, the sensors take the server-time
// challenge, download over mutual TLS, install into the other slot, boot it and say so.
describe('OTA rollout to a cold-chain cohort (embedded platform)', () => {
  it('updates every sensor of the cohort, which report job status and boot on the new version', async (t) => {
    const data = await fleetDataDir(t);
    const dirs = [
      await provisionDevice(data, 'CC-OTA-1', 'coldchain'),
      await provisionDevice(data, 'CC-OTA-2', 'coldchain'),
    ];
    const image = join(data, 'cc-1.4.0.bin');
    const manifest = join(data, 'cc-1.4.0.manifest.json');
    await writeFile(image, randomBytes(16 * 1024));
    await ota(
      'build',
      '--data',
      data,
      '--image',
      image,
      '--out',
      manifest,
      '--version',
      '1.4.0',
      '--device-class',
      'coldchain',
      '--hardware',
      COLDCHAIN_HARDWARE_REV,
    );
    const platform = await startTestPlatform(t, data, { otaTickMs: 100 });
    const firmwareSigningKey = await loadFirmwareSigningPublicKey(data);
    const clock = new ScaledClock({ speed: 60 });
    const created: DeviceMessage[] = [];
    const sensors = await Promise.all(
      dirs.map(async (dir, i) => {
        const credentials = await loadProvisionedDevice(dir);
        const sensor = await ColdchainSensor.create({
          credentials,
          flashDir: join(dir, 'flash'),
          clock,
          link: mqttLinkFactory(platform.mqttUrl, credentials),
          deviceApi: httpsDeviceApi(platform.deviceApiUrl, credentials),
          firmwareSigningKey,
          reefer: new Reefer({ start: clock.now(), setPointC: -18, ambientMeanC: 20 }),
          random: mulberry32(i),
          flashSync: false,
          observer: { created: (m) => void created.push(m) },
        });
        t.after(() => sensor.powerOff());
        return sensor;
      }),
    );
    await Promise.all(sensors.map((s) => s.powerOn()));
    const targets = entityStorePorts(platform.entities).targets;
    await eventually(async () => {
      const known = await targets.list({ deviceClass: 'coldchain' });
      return known.length === 2 && known.every((d) => d.firmwareVersion === COLDCHAIN_FIRMWARE)
        ? true
        : undefined;
    }, 'both sensors booted and registered their firmware');

    const createdRollout = await ota(
      'rollout',
      'create',
      '--data',
      data,
      '--manifest',
      manifest,
      '--image',
      image,
    );
    const rolloutId = /Rollout ([0-9a-f-]{36}) started/.exec(createdRollout)?.[1];
    assert.ok(rolloutId, createdRollout);
    const status = await eventually(
      async () => {
        const s = await apiRequest(platform, 'GET', `/v1/ota/rollouts/${rolloutId}`);
        const totals = s.body['totals'] as { onNewVersion: number };
        return totals.onNewVersion === 2 ? s.body : undefined;
      },
      'both sensors on 1.4.0',
      60_000,
    );
    assert.equal(status['deviceClass'], 'coldchain');
    assert.notEqual(status['state'], 'halted');
    assert.deepEqual(
      sensors.map((s) => s.runtime.firmwareVersion),
      ['1.4.0', '1.4.0'],
    );
    for (const id of ['CC-OTA-1', 'CC-OTA-2']) {
      const mine = created.filter((m) => m.device_id === id);
      const statuses = mine
        .filter((m): m is JobStatus => m.type === 'job-status')
        .map((m) => m.status);
      assert.ok(
        statuses.includes('downloading') || statuses.includes('installing'),
        statuses.join(),
      );
      assert.equal(statuses.at(-1), 'succeeded', statuses.join());
      const boots = mine.filter((m) => m.type === 'boot');
      assert.equal(boots.at(-1)?.firmware_version, '1.4.0');
      assert.equal(boots.at(-1)?.reset_reason, 'ota');
    }
    // The updated sensors go on reading.
    const after = created.length;
    await eventually(
      () => (created.slice(after).some((m) => m.type === 'coldchain-telemetry') ? true : undefined),
      'a reading on the new firmware',
    );
  });
});
