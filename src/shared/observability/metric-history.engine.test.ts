import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import type { MetricHistory } from './metric-history.js';

// The metric history on a real platform: a cart's messages over mutual TLS are sampled into
// DIR/metrics/history.db, charted through the API, and still there after a restart.
describe('metric history (GET /v1/metrics/history)', () => {
  it('samples messages, rejects, connections and latency, and serves them after a restart', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-1001');
    const first = await startTestPlatform(t, data, { metricSampleMs: 200 });
    const cart = await connectDevice(t, first.mqttUrl, dir);
    for (let counter = 1; counter <= 5; counter++) {
      await cart.send(message('health', 'CART-1001', counter, { session_id: undefined }));
    }
    await cart.send(message('health', 'CART-1001', 5, { session_id: undefined })); // a replay
    const history = async (platform = first, window = '1h') => {
      const got = await apiRequest(platform, 'GET', `/v1/metrics/history?window=${window}`, {
        token: await apiToken(platform, 'ops'),
      });
      assert.equal(got.status, 200, JSON.stringify(got.body));
      return got.body as unknown as MetricHistory;
    };
    const sampled = await eventually(async () => {
      const points = (await history()).points;
      const stored = points.some((p) => p.storedPerMinute > 0);
      const replays = points.some((p) => (p.rejectsPerMinute['replay'] ?? 0) > 0);
      return stored && replays ? points : undefined;
    }, 'the messages in the history');
    const busy = sampled.find((p) => p.storedPerMinute > 0)!;
    assert.ok(busy.publishToStoredP50Ms !== null && busy.publishToStoredP50Ms >= 0);
    assert.ok(busy.publishToStoredP99Ms! >= busy.publishToStoredP50Ms);
    assert.ok(sampled.some((p) => p.connectedDevices === 1));
    assert.ok(
      sampled.every((p, i) => i === 0 || p.at > sampled[i - 1]!.at),
      'oldest first',
    );
    const body = await history(first, '24h');
    assert.equal(body.window, '24h');
    assert.equal(body.source, 'embedded');
    assert.equal(body.intervalMs, 200);

    const staff = await apiToken(first, 'staff', 'berlin-1');
    const refused = await apiRequest(first, 'GET', '/v1/metrics/history', { token: staff });
    assert.equal(refused.status, 403);
    const month = await apiRequest(first, 'GET', '/v1/metrics/history?window=30d', {
      token: await apiToken(first, 'ops'),
    });
    assert.equal(month.status, 400, 'the history keeps eight days: no month');

    await first.stop();
    const second = await startTestPlatform(t, data, { metricSampleMs: 200 });
    const after = (await history(second)).points;
    const kept = new Set(after.map((p) => p.at));
    assert.ok(
      sampled.every((p) => kept.has(p.at)),
      'every point from before the restart is still served',
    );
  });
});
