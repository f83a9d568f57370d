import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken, platformFetch } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { exposed, parseExposition } from '../../../test-support/prometheus-text.js';
import type { StoreMetricHistory } from './metric-history.js';

const health = (deviceId: string, counter: number, firmware: string) =>
  message('health', deviceId, counter, { session_id: undefined, firmware_version: firmware });

// Two carts in two stores over mutual TLS: /metrics cuts their messages by store and by the
// firmware each reported, and the history charts each store on its own.
describe('metrics by store and firmware (platform)', () => {
  it('counts two stores apart in /metrics and in GET /v1/metrics/history?store=', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'hamburg-2', '--name', 'Hamburg 2');
    const berlinDir = await provisionDevice(data, 'CART-1001');
    const hamburgDir = await provisionDevice(data, 'CART-2001', 'cart', 'hamburg-2');
    const platform = await startTestPlatform(t, data, { metricSampleMs: 200 });
    const berlin = await connectDevice(t, platform.mqttUrl, berlinDir);
    const hamburg = await connectDevice(t, platform.mqttUrl, hamburgDir);
    for (let counter = 1; counter <= 3; counter++)
      await berlin.send(health('CART-1001', counter, '2.4.1'));
    await berlin.send(health('CART-1001', 3, '2.4.1')); // a replay: a reject of berlin-1
    for (let counter = 1; counter <= 2; counter++)
      await hamburg.send(health('CART-2001', counter, '2.5.0'));

    const samples = await eventually(async () => {
      const response = await platformFetch(platform)(`${platform.apiUrl}/metrics`);
      assert.equal(response.status, 200);
      const parsed = parseExposition(await response.text());
      const rejects = exposed(parsed, 'fleetplane_ingest_rejects_by_store_total');
      return rejects.length > 0 ? parsed : undefined;
    }, 'the replay counted');
    const value = (name: string, labels: Record<string, string>) =>
      exposed(samples, name, labels).reduce((n, s) => n + s.value, 0);
    const stored = 'fleetplane_ingest_stored_by_store_total';
    assert.equal(value(stored, { device_class: 'cart', store: 'berlin-1' }), 3);
    assert.equal(value(stored, { device_class: 'cart', store: 'hamburg-2' }), 2);
    const rejects = 'fleetplane_ingest_rejects_by_store_total';
    assert.equal(value(rejects, { store: 'berlin-1' }), 1);
    assert.equal(value(rejects, { store: 'hamburg-2' }), 0);
    const byFirmware = 'fleetplane_ingest_stored_by_firmware_total';
    assert.equal(value(byFirmware, { device_class: 'cart', firmware: '2.4.1' }), 3);
    assert.equal(value(byFirmware, { device_class: 'cart', firmware: '2.5.0' }), 2);
    const connected = 'fleetplane_broker_connected_devices_by_store';
    assert.equal(value(connected, { store: 'berlin-1' }), 1);
    assert.equal(value(connected, { store: 'hamburg-2' }), 1);

    const token = await apiToken(platform, 'ops');
    const storeHistory = async (store: string, window = '1h') => {
      const got = await apiRequest(
        platform,
        'GET',
        `/v1/metrics/history?window=${window}&store=${store}`,
        { token },
      );
      assert.equal(got.status, 200, JSON.stringify(got.body));
      return got.body as unknown as StoreMetricHistory;
    };
    // Rates back to counts: every message shows up once in exactly one interval. Each point's own
    // interval, not the nominal one: on a loaded machine a sample comes late and covers more.
    const total = (h: StoreMetricHistory, field: 'storedPerMinute' | 'rejectedPerMinute') =>
      Math.round(h.points.reduce((n, p) => n + (p[field] * p.intervalMs) / 60_000, 0));
    const berlinSeries = await eventually(async () => {
      const h = await storeHistory('berlin-1');
      return total(h, 'storedPerMinute') === 3 && total(h, 'rejectedPerMinute') === 1
        ? h
        : undefined;
    }, "berlin-1's messages in its history");
    assert.equal(berlinSeries.store, 'berlin-1');
    assert.ok(berlinSeries.points.some((p) => p.connectedDevices === 1));
    const hamburgSeries = await eventually(async () => {
      const h = await storeHistory('hamburg-2', '7d');
      return total(h, 'storedPerMinute') === 2 ? h : undefined;
    }, "hamburg-2's messages in its week");
    assert.equal(hamburgSeries.window, '7d');
    assert.equal(total(hamburgSeries, 'rejectedPerMinute'), 0);

    const fleet = await apiRequest(platform, 'GET', '/v1/metrics/history?window=7d', { token });
    assert.equal(fleet.status, 200);
    const points = fleet.body['points'] as { publishToStoredP95Ms: number | null }[];
    assert.ok(points.some((p) => p.publishToStoredP95Ms !== null));
  });
});
