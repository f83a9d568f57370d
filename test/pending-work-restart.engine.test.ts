import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DeviceMessage } from '../src/contract/index.js';
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
import { mqttLinkFactory, type LinkFactory } from '../src/device/link/link-factory.js';
import { mulberry32 } from '../src/device/random.js';
import {
  COLDCHAIN_FIRMWARE,
  COLDCHAIN_HARDWARE_REV,
  ColdchainSensor,
} from '../src/device/coldchain/coldchain-sensor.js';
import { Reefer } from '../src/device/coldchain/reefer.js';

const ID = 'CC-PEND-1';

async function ota(...argv: string[]): Promise<string> {
  const io = capture();
  const code = await main(['ota', ...argv], io, otaCommands());
  assert.equal(code, 0, io.text());
  return io.text();
}

/** What the cloud delivered, by connection (0 = the first): `command <id>`, `job <id>`, `desired <version>`. */
function recordingDeliveries(factory: LinkFactory): {
  readonly factory: LinkFactory;
  readonly deliveries: { readonly connection: number; readonly what: string }[];
} {
  const deliveries: { connection: number; what: string }[] = [];
  let connections = 0;
  return {
    deliveries,
    factory: {
      connect: (bearer, handlers, trustPem) => {
        const connection = connections++;
        const seen = (what: string) => deliveries.push({ connection, what });
        return factory.connect(
          bearer,
          {
            ...handlers,
            command: (r) => (seen(`command ${r.command_id}`), handlers.command(r)),
            desired: (d) => (seen(`desired ${d.version}`), handlers.desired(d)),
            job: (j) => (seen(`job ${j.job_id}`), handlers.job(j)),
          },
          trustPem,
        );
      },
    },
  };
}

// Issue 20: commands, a shadow change and an OTA job for a device that is offline while the
// platform restarts reach it once when it comes back (decision 051). The embedded broker held
// them in the device's session, in memory; the entity store is what survives.
describe('work for an offline device across a platform restart (embedded platform)', () => {
  it('delivers a pending command, the desired shadow and the OTA job once after the restart, and not an expired command', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, ID, 'coldchain');
    const image = join(data, 'cc-1.4.0.bin');
    const manifest = join(data, 'cc-1.4.0.manifest.json');
    await writeFile(image, randomBytes(16 * 1024));
    await ota(
      ...['build', '--data', data, '--image', image, '--out', manifest],
      ...[
        '--version',
        '1.4.0',
        '--device-class',
        'coldchain',
        '--hardware',
        COLDCHAIN_HARDWARE_REV,
      ],
    );
    const first = await startTestPlatform(t, data, { otaTickMs: 100 });
    const credentials = await loadProvisionedDevice(dir);
    const recorder = recordingDeliveries(mqttLinkFactory(first.mqttUrl, credentials));
    const created: DeviceMessage[] = [];
    const clock = new ScaledClock({ speed: 60 });
    const sensor = await ColdchainSensor.create({
      credentials,
      flashDir: join(dir, 'flash'),
      clock,
      link: recorder.factory,
      deviceApi: httpsDeviceApi(first.deviceApiUrl, credentials),
      firmwareSigningKey: await loadFirmwareSigningPublicKey(data),
      reefer: new Reefer({ start: clock.now(), setPointC: -18, ambientMeanC: 20 }),
      random: mulberry32(7),
      flashSync: false,
      observer: { created: (m) => void created.push(m) },
    });
    t.after(() => sensor.powerOff());
    await sensor.powerOn();
    const targets = entityStorePorts(first.entities).targets;
    await eventually(async () => {
      const [known] = await targets.list({ deviceClass: 'coldchain' });
      return known?.firmwareVersion === COLDCHAIN_FIRMWARE ? true : undefined;
    }, 'the sensor booted and registered its firmware');
    await sensor.powerOff();
    const offlineFrom = recorder.deliveries.length;

    // While it is away: a command, one that will expire first, a shadow change and a rollout.
    const command = async (timeoutS: number) => {
      const sent = await apiRequest(first, 'POST', `/v1/devices/${ID}/commands`, {
        body: { name: 'ping', timeout_s: timeoutS },
      });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      return String(sent.body['commandId']);
    };
    const pending = await command(86_400);
    const expiring = await command(1);
    const shadow = await apiRequest(first, 'PATCH', `/v1/devices/${ID}/shadow`, {
      body: { desired: { report_interval_s: 120 } },
    });
    assert.equal(shadow.status, 200, JSON.stringify(shadow.body));
    const version = Number(shadow.body['desiredVersion']);
    assert.ok(version >= 1, JSON.stringify(shadow.body));
    await ota('rollout', 'create', '--data', data, '--manifest', manifest, '--image', image);
    const repository = entityStorePorts(first.entities).repository;
    const job = await eventually(async () => {
      const [j] = await repository.jobsOfDevice(ID);
      return j?.state === 'sent' ? j : undefined;
    }, 'the job recorded as sent to the offline sensor');
    assert.equal(recorder.deliveries.length, offlineFrom, 'nothing reached the sensor yet');

    // The platform restarts on the same data directory and ports; the broker's sessions are gone.
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the 1 s command expires
    const second = await startTestPlatform(t, data, {
      otaTickMs: 100,
      mqtt: {
        host: '127.0.0.1',
        port: Number(new URL(first.mqttUrl).port),
        hostnames: ['localhost', '127.0.0.1'],
      },
      deviceApi: { port: Number(new URL(first.deviceApiUrl).port) },
    });
    await sensor.powerOn();

    const answered = await eventually(async () => {
      const got = await apiRequest(second, 'GET', `/v1/commands/${pending}`);
      return got.body['status'] === 'succeeded' ? got.body : undefined;
    }, 'the pending command answered');
    assert.equal(answered['duplicate'], false);
    assert.equal(answered['attempts'], 1);
    const jobs = entityStorePorts(second.entities).repository;
    await eventually(async () => {
      const now = await jobs.job(job.jobId);
      return now && now.state !== 'sent' ? true : undefined;
    }, 'the job acknowledged by the sensor');
    await eventually(async () => {
      const got = await apiRequest(second, 'GET', `/v1/devices/${ID}/shadow`);
      return got.body['reportedDesiredVersion'] === version ? true : undefined;
    }, 'the desired shadow applied and reported');
    const expired = await eventually(
      async () => {
        const got = await apiRequest(second, 'GET', `/v1/commands/${expiring}`);
        return got.body['status'] === 'failed' ? got.body : undefined;
      },
      'the expired command settled by the sweep',
      15_000,
    );
    assert.equal(expired['code'], 'timeout');

    const after = recorder.deliveries.slice(offlineFrom);
    const back = after[0]?.connection; // the first connection after the restart
    const count = (what: string, connection?: number) =>
      after.filter(
        (d) => d.what === what && (connection === undefined || d.connection === connection),
      ).length;
    assert.equal(count(`command ${pending}`), 1, 'the pending command delivered once');
    assert.equal(count(`command ${expiring}`), 0, 'the expired command not delivered');
    assert.equal(count(`job ${job.jobId}`), 1, 'the job delivered once');
    assert.equal(
      count(`desired ${version}`, back),
      1,
      `the desired shadow once on reconnecting: ${JSON.stringify(after)}`,
    );
    const responses = created.filter(
      (m) => m.type === 'command-response' && m.command_id === pending,
    );
    assert.equal(responses.length, 1, 'the sensor answered the command once');
    const listed = await apiRequest(second, 'GET', `/v1/devices/${ID}/commands?limit=10`);
    const outcomes = (listed.body['commands'] as Record<string, unknown>[]).filter(
      (c) => c['commandId'] === pending,
    );
    assert.deepEqual(
      outcomes.map((c) => c['status']),
      ['succeeded'],
      'one outcome in the ledger',
    );
  });
});
