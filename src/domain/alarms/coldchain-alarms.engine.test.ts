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
  startTestPlatform,
} from '../../../test-support/platform.js';
import type { AlarmView } from '../../stores/entities/entity-store.js';

/**
 * A reefer's trip as its sensor recorded it, a reading every five minutes: one door-open spike
 * (one reading), then an excursion of three readings, a shock when loaded onto a dock, and a
 * battery swapped late. Until the cold-chain device class runs in the simulator (issue 19), this
 * recording is what drives its default rules.
 */
const TRIP = new URL('./fixtures/reefer-trip.jsonl', import.meta.url);

interface Reading {
  minute: number;
  temperature_c: number;
  humidity_pct: number;
  shock_g: number;
  battery_pct: number;
  door_open: boolean;
}

describe('cold-chain alarms from recorded telemetry', () => {
  it('fires each default rule where the recording crosses it and resolves it where it recovers', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CC-0101', 'coldchain');
    const platform = await startTestPlatform(t, data);
    const sensor = await connectDevice(t, platform.mqttUrl, dir);
    const readings = (await readFile(TRIP, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Reading);
    const start = Date.now() - 60 * 60_000;
    for (const [i, { minute, ...reading }] of readings.entries()) {
      await sensor.send(
        message('coldchain-telemetry', 'CC-0101', i + 1, {
          ...reading,
          ts: new Date(start + minute * 60_000).toISOString(),
        }),
      );
    }
    const alarms = await eventually(async () => {
      const { body } = await apiRequest(platform, 'GET', '/v1/alarms?limit=100');
      const list = body['alarms'] as AlarmView[];
      return list.length === 3 && list.every((a) => a.state === 'resolved') ? list : undefined;
    }, 'three alarms, each resolved');
    const history = async (a: AlarmView) => {
      const { body } = await apiRequest(platform, 'GET', `/v1/alarms/${a.id}`);
      return (body['history'] as { change: string; reading: Record<string, unknown> | null }[]).map(
        (h) => [h.change, h.reading],
      );
    };
    const byRule = new Map(alarms.map((a) => [a.ruleId, a]));
    // Two consecutive readings out of 2–8 °C: the single 8.6 spike does not fire, 9.4 does.
    assert.deepEqual(await history(byRule.get('temperature-excursion')!), [
      ['fired', { temperature_c: 9.4 }],
      ['resolved', null],
    ]);
    assert.deepEqual(await history(byRule.get('shock')!), [
      ['fired', { shock_g: 2.6 }],
      ['resolved', null],
    ]);
    // Under 15 % fires; 14 and 13 stay one alarm; 22 (at least 20) resolves it.
    assert.deepEqual(await history(byRule.get('battery-low')!), [
      ['fired', { battery_pct: 14 }],
      ['resolved', null],
    ]);
    assert.ok(alarms.every((a) => a.deviceId === 'CC-0101' && a.resolvedBy === 'rule'));
  });
});
