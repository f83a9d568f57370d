import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ColdchainTelemetry, DeviceMessage } from '../../contract/index.js';
import { apiRequest } from '../../../test-support/api-client.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { until } from '../../../test-support/test-device.js';
import { ScaledClock } from '../clock/sim-clock.js';
import { loadProvisionedDevice } from '../link/device-link.js';
import { mqttLinkFactory } from '../link/link-factory.js';
import { mulberry32 } from '../random.js';
import { ColdchainSensor } from './coldchain-sensor.js';
import { Reefer } from './reefer.js';

// One sensor over mutual TLS against the embedded platform, simulated minutes in real tenths of
// a second: what it read is what the platform stored, once each, through a command and an outage.
describe('cold-chain sensor against the embedded platform', () => {
  it('stores each reading once, answers set-interval, and replays an outage with nothing lost or doubled', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CC-0101', 'coldchain');
    const platform = await startTestPlatform(t, data);
    const credentials = await loadProvisionedDevice(dir);
    const clock = new ScaledClock({ speed: 300 });
    const created: DeviceMessage[] = [];
    const sensor = await ColdchainSensor.create({
      credentials,
      flashDir: join(dir, 'flash'),
      clock,
      link: mqttLinkFactory(platform.mqttUrl, credentials),
      reefer: new Reefer({ start: clock.now(), setPointC: 4, ambientMeanC: 24 }),
      random: mulberry32(9),
      defaultIntervalS: 120,
      flashSync: false,
      observer: { created: (m) => void created.push(m) },
    });
    t.after(() => sensor.powerOff());
    const readings = () =>
      created.filter((m): m is ColdchainTelemetry => m.type === 'coldchain-telemetry');
    await sensor.powerOn();
    await until(() => readings().length >= 2, 'two readings at the default interval');

    const sent = await apiRequest(platform, 'POST', '/v1/devices/CC-0101/commands', {
      body: { name: 'set-interval', args: { interval_s: 30 }, timeout_s: 86_400 },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const answered = await eventually(async () => {
      const got = await apiRequest(
        platform,
        'GET',
        `/v1/commands/${String(sent.body['commandId'])}`,
      );
      return got.body['status'] === 'succeeded' ? got.body : undefined;
    }, 'set-interval answered in the ledger');
    assert.equal(answered['duplicate'], false);
    const response = created.find((m) => m.type === 'command-response')!;
    await until(
      () => readings().filter((r) => r.counter > response.counter).length >= 4,
      'faster readings',
    );

    // The gateway goes: readings queue in flash, then go out in order once it is back.
    await sensor.runtime.setReachable(false);
    const before = readings().length;
    await until(() => readings().length >= before + 5, 'five readings offline');
    assert.ok(sensor.runtime.uplink.pending >= 5);
    await sensor.runtime.setReachable(true);
    // No reading after this: every one taken is queued, then the queue drains.
    sensor.stop();
    await sensor.runtime.settled();
    assert.ok(await sensor.runtime.uplink.flush(60_000), 'the queue drained');
    await sensor.powerOff();

    const made = readings();
    const stored = await eventually(
      async () => {
        const got = await apiRequest(
          platform,
          'GET',
          '/v1/devices/CC-0101/events?type=coldchain-telemetry&limit=1000',
        );
        const events = got.body['events'] as ColdchainTelemetry[];
        return events.length >= made.length ? events : undefined;
      },
      'every reading stored',
      60_000,
    );
    const key = (r: ColdchainTelemetry) => `${r.counter}@${r.ts}`;
    assert.deepEqual(stored.map(key).sort(), made.map(key).sort(), 'each reading exactly once');
    assert.ok(stored.every((r) => r.battery_pct <= 100 && r.humidity_pct > 0));

    // The spacing follows the interval: two minutes before the command, 30 s after it.
    const spacing = (list: ColdchainTelemetry[]) =>
      list.slice(1).map((r, i) => Date.parse(r.ts) - Date.parse(list[i]!.ts));
    const early = made.filter((r) => r.counter < response.counter);
    const late = made.filter((r) => r.counter > response.counter);
    // Each reading carries its RTC alarm time, so a busy host's late timers do not move it.
    assert.deepEqual(new Set(spacing(early)), new Set([120_000]));
    assert.deepEqual(new Set(spacing(late)), new Set([30_000]));
  });
});
