import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ColdchainTelemetry, DeviceMessage } from '../src/contract/index.js';
import { apiRequest } from '../test-support/api-client.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../test-support/platform.js';
import { until } from '../test-support/test-device.js';
import { ScaledClock } from '../src/device/clock/sim-clock.js';
import { loadProvisionedDevice } from '../src/device/link/device-link.js';
import { mqttLinkFactory } from '../src/device/link/link-factory.js';
import { mulberry32 } from '../src/device/random.js';
import { ColdchainSensor } from '../src/device/coldchain/coldchain-sensor.js';
import { Reefer } from '../src/device/coldchain/reefer.js';

interface Excursion {
  readonly kind: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly peak: number;
}

// The sensor's firmware model and the cloud together, over mutual TLS: a chilled shipment whose
// reefer door is left open gets one temperature excursion, opened and closed by the cloud from
// what the sensor read, with the peak the sensor saw.
describe('a cold-chain shipment end to end', () => {
  it('turns a door left open on a chilled reefer into one closed excursion with the peak the sensor read', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CC-0501', 'coldchain');
    const platform = await startTestPlatform(t, data);
    const made = await apiRequest(platform, 'POST', '/v1/shipments', {
      body: { id: 'SHP-E2E-1', profile: 'chilled', devices: ['CC-0501'] },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));

    const credentials = await loadProvisionedDevice(dir);
    const clock = new ScaledClock({ speed: 300 });
    const reefer = new Reefer({ start: clock.now(), setPointC: 4, ambientMeanC: 24 });
    const created: DeviceMessage[] = [];
    const delivered = new Set<number>();
    const sensor = await ColdchainSensor.create({
      credentials,
      flashDir: join(dir, 'flash'),
      clock,
      link: mqttLinkFactory(platform.mqttUrl, credentials),
      reefer,
      random: mulberry32(5),
      defaultIntervalS: 60,
      flashSync: false,
      observer: {
        created: (m) => void created.push(m),
        delivered: (m) => void delivered.add(m.counter),
      },
    });
    t.after(() => sensor.powerOff());
    const readings = () =>
      created.filter((m): m is ColdchainTelemetry => m.type === 'coldchain-telemetry');
    await sensor.powerOn();
    await until(() => readings().length >= 2, 'two readings with the door shut');

    reefer.setDoor(true, clock.now());
    await until(
      () => readings().filter((r) => r.temperature_c > 8).length >= 3,
      'three readings above 8 °C',
      30_000,
    );
    reefer.setDoor(false, clock.now());
    const shut = readings().length;
    await until(
      () =>
        readings()
          .slice(shut)
          .filter((r) => r.temperature_c <= 8).length >= 3,
      'three readings back in range',
      60_000,
    );
    // Read, not yet sent: on a loaded machine the last readings may still wait in the queue.
    const sent = readings().map((r) => r.counter);
    await until(
      () => sent.every((c) => delivered.has(c)),
      'every reading acknowledged before power-off',
      30_000,
    );
    await sensor.powerOff();

    const peak = Math.max(...readings().map((r) => r.temperature_c));
    const excursions = await eventually(
      async () => {
        const { body } = await apiRequest(platform, 'GET', '/v1/shipments/SHP-E2E-1/excursions');
        const list = (body['excursions'] as Excursion[]).filter((e) => e.kind === 'temperature');
        return list.length === 1 && list[0]!.endedAt !== null ? list : undefined;
      },
      'a closed temperature excursion',
      20_000,
    );
    assert.equal(excursions[0]!.peak, peak);
    const first = readings().find((r) => r.temperature_c > 8)!;
    assert.ok(excursions[0]!.startedAt <= first.ts, `${excursions[0]!.startedAt} ≤ ${first.ts}`);
  });
});
