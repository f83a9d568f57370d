import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { apiRequest } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  receivedCommands,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { toIngestedEvent } from '../../pipeline/ingest/ingested-event.js';
import { silentLogger } from '../../shared/observability/logger.js';
import type { ExcursionView } from '../../stores/entities/entity-store.js';
import { ColdChainIngest } from './coldchain-ingest.js';

/** The reefer trip the cold-chain alarms test plays: a reading every five minutes. */
const TRIP = new URL('../alarms/fixtures/reefer-trip.jsonl', import.meta.url);
const SENSOR = 'CC-0301';

interface Reading {
  minute: number;
  [field: string]: unknown;
}

describe('shipments and excursion records (embedded platform, mutual TLS)', () => {
  it('records a reefer trip’s excursion with its peak and duration, across a restart, once under replay', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, SENSOR, 'coldchain');
    let platform = await startTestPlatform(t, data);
    const port = Number(new URL(platform.mqttUrl).port);
    let sensor = await connectDevice(t, platform.mqttUrl, dir);
    await eventually(async () => platform.entities.getDevice(SENSOR), 'the sensor registered');
    const readings = (await readFile(TRIP, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Reading);
    const start = Date.now() - 60 * 60_000;
    const at = (minute: number) => new Date(start + minute * 60_000).toISOString();

    const created = await apiRequest(platform, 'POST', '/v1/shipments', {
      body: { id: 'SHP-REEFER-1', profile: 'chilled', devices: [SENSOR], start: at(-1) },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body['shadowPending'], []);
    const shadow = await apiRequest(platform, 'GET', `/v1/devices/${SENSOR}/shadow`);
    assert.equal(
      (shadow.body['desired'] as Record<string, unknown>)['shipment_id'],
      'SHP-REEFER-1',
    );
    // The same sensor cannot travel with a second open shipment.
    const twice = await apiRequest(platform, 'POST', '/v1/shipments', {
      body: { id: 'SHP-REEFER-2', profile: 'frozen', devices: [SENSOR] },
    });
    assert.equal(twice.status, 409, JSON.stringify(twice.body));

    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const { minute, ...reading } = readings[i]!;
        await sensor.send(
          message('coldchain-telemetry', SENSOR, i + 1, { ...reading, ts: at(minute) }),
        );
      }
    };
    const excursions = async () => {
      const { body } = await apiRequest(platform, 'GET', '/v1/shipments/SHP-REEFER-1/excursions');
      return body['excursions'] as ExcursionView[];
    };
    // Up to minute 30: the single 8.6 spike opened nothing; 8.9, 9.4, 9.1 opened one, still open.
    await send(0, 7);
    const open = await eventually(async () => {
      const list = await excursions();
      return list.length === 1 && list[0]!.readings === 3 ? list[0] : undefined;
    }, 'an open temperature excursion');
    assert.deepEqual(
      [open.kind, open.startedAt, open.endedAt, open.peak, open.limit],
      ['temperature', at(20), null, 9.4, 8],
    );

    // The first link would reconnect to the restarted platform under the same client id and
    // take the session over from the second one, closing it mid-subscribe.
    await sensor.client.endAsync(true);
    await platform.stop();
    platform = await startTestPlatform(t, data, {
      mqtt: { host: '127.0.0.1', port, hostnames: ['127.0.0.1'] },
    });
    assert.deepEqual(await excursions(), [open], 'the open excursion survived the restart');
    sensor = await connectDevice(t, platform.mqttUrl, dir);
    await send(7, readings.length);
    const closed = await eventually(async () => {
      const list = await excursions();
      // Every reading applied: the shock, one reading long, ends with the reading after it.
      return list.length === 2 && list.every((e) => e.endedAt !== null) ? list : undefined;
    }, 'the excursion closed and the shock recorded');
    const temperature = closed.find((e) => e.kind === 'temperature')!;
    // Back in range at 35 (6.2) and 40 (5.1): it ended at 35, fifteen minutes after it began.
    assert.deepEqual(
      [
        temperature.startedAt,
        temperature.endedAt,
        temperature.durationS,
        temperature.peak,
        temperature.peakAt,
      ],
      [at(20), at(35), 900, 9.4, at(25)],
    );
    const shock = closed.find((e) => e.kind === 'shock')!;
    assert.deepEqual([shock.startedAt, shock.peak, shock.limit], [at(40), 2.6, 2]);

    // A replayed stream: the same readings again from the device (store-and-forward), and the
    // stored events applied a second time, as after a crash or a dead-letter replay.
    await send(0, readings.length);
    const stored = await platform.telemetry.latestForDevice(SENSOR, { limit: 100 });
    assert.equal(stored.length, readings.length, 'the ingest kept each reading once');
    const again = new ColdChainIngest({ records: platform.entities, log: silentLogger() });
    await again.applied(stored.map(toIngestedEvent));
    await again.applied(stored.map(toIngestedEvent).reverse());
    assert.deepEqual(await excursions(), closed);
    const shipment = await apiRequest(platform, 'GET', '/v1/shipments/SHP-REEFER-1');
    assert.equal(shipment.body['readings'], readings.length);
    assert.equal(shipment.body['excursions'], 2);
    assert.equal(shipment.body['openExcursions'], 0);

    const closing = await apiRequest(platform, 'POST', '/v1/shipments/SHP-REEFER-1/close');
    assert.equal(closing.status, 200, JSON.stringify(closing.body));
    assert.ok((closing.body['shipment'] as Record<string, unknown>)['closedAt']);
    const cleared = await apiRequest(platform, 'GET', `/v1/devices/${SENSOR}/shadow`);
    assert.equal((cleared.body['desired'] as Record<string, unknown>)['shipment_id'], undefined);
  });

  it('sends set-interval and reboot to a sensor and takes report_interval_s in its shadow', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CC-0302', 'coldchain');
    const platform = await startTestPlatform(t, data);
    const link = await connectDevice(t, platform.mqttUrl, dir);
    const received = receivedCommands(link);
    await eventually(async () => platform.entities.getDevice('CC-0302'), 'the sensor registered');
    for (const body of [
      { name: 'set-interval', args: { interval_s: 60 } },
      { name: 'reboot', args: { reason: 'ops' } },
    ]) {
      const sent = await apiRequest(platform, 'POST', '/v1/devices/CC-0302/commands', { body });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
    }
    const got = await eventually(
      () => (received.length === 2 ? received : undefined),
      'both commands on the sensor',
    );
    assert.deepEqual(
      got.map((c) => [c.name, c.args]),
      [
        ['set-interval', { interval_s: 60 }],
        ['reboot', { reason: 'ops' }],
      ],
    );
    const tooFast = await apiRequest(platform, 'POST', '/v1/devices/CC-0302/commands', {
      body: { name: 'set-interval', args: { interval_s: 1 } },
    });
    assert.equal(tooFast.status, 400, JSON.stringify(tooFast.body));
    const patched = await apiRequest(platform, 'PATCH', '/v1/devices/CC-0302/shadow', {
      body: { desired: { report_interval_s: 300 } },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal((patched.body['desired'] as Record<string, unknown>)['report_interval_s'], 300);
  });
});
