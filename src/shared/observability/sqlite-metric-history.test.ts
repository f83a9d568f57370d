import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteDatabase } from '../../stores/data-dir/sqlite-driver.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import type { MetricSample } from './metric-history.js';
import { HISTORY_KEEP_MS, SqliteMetricHistory } from './sqlite-metric-history.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-11-23T12:00:00.000Z');

function sample(at: number, fields: Partial<MetricSample> = {}): MetricSample {
  return {
    at,
    intervalMs: MINUTE,
    stored: 600,
    rejectsByReason: { signature: 2 },
    connectedDevices: 40,
    publishToStoredP50Ms: 12.5,
    publishToStoredP95Ms: 50,
    publishToStoredP99Ms: 80,
    authFailures: 1,
    authFailuresByStage: { tls: 1 },
    byStore: {},
    ...fields,
  };
}

describe('SQLite metric history', () => {
  it('serves what it stored before a close and reopen, within the window asked for', async (t) => {
    const file = join(await tempDir(t, 'history-'), 'metrics', 'history.db');
    const first = new SqliteMetricHistory(file, { intervalMs: MINUTE });
    for (let m = 120; m >= 1; m--) first.append(sample(NOW - m * MINUTE, { stored: m }));
    first.close();

    const reopened = new SqliteMetricHistory(file, { intervalMs: MINUTE });
    t.after(() => reopened.close());
    const hour = await reopened.read('1h', NOW);
    assert.equal(hour.window, '1h');
    assert.equal(hour.source, 'embedded');
    assert.equal(hour.points.length, 59, 'the samples after an hour ago');
    assert.equal(hour.points[0]?.at, new Date(NOW - 59 * MINUTE).toISOString(), 'oldest first');
    assert.equal(hour.points[58]?.storedPerMinute, 1);
    const day = await reopened.read('24h', NOW);
    assert.equal(day.points.length, 120);
  });

  it('gives counts per minute whatever the interval, and null latency for an empty interval', async (t) => {
    const history = new SqliteMetricHistory(join(await tempDir(t), 'h.db'), { intervalMs: 15_000 });
    t.after(() => history.close());
    history.append(
      sample(NOW - 1000, {
        intervalMs: 15_000,
        stored: 50,
        rejectsByReason: { schema: 1, replay: 2 },
        authFailures: 3,
        authFailuresByStage: { tls: 1, admission: 2 },
        publishToStoredP50Ms: null,
        publishToStoredP95Ms: null,
        publishToStoredP99Ms: null,
      }),
    );
    const [point] = (await history.read('1h', NOW)).points;
    assert.deepEqual(point, {
      at: new Date(NOW - 1000).toISOString(),
      intervalMs: 15_000,
      storedPerMinute: 200,
      rejectedPerMinute: 12,
      rejectsPerMinute: { schema: 4, replay: 8 },
      connectedDevices: 40,
      publishToStoredP50Ms: null,
      publishToStoredP95Ms: null,
      publishToStoredP99Ms: null,
      authFailuresPerMinute: 12,
      authFailuresPerMinuteByStage: { tls: 4, admission: 8 },
    });
  });

  it('keeps eight days and forgets what is older', async (t) => {
    const history = new SqliteMetricHistory(join(await tempDir(t), 'h.db'), { intervalMs: MINUTE });
    t.after(() => history.close());
    history.append(sample(NOW - HISTORY_KEEP_MS - MINUTE));
    history.append(sample(NOW - HISTORY_KEEP_MS + MINUTE));
    assert.equal(history.samples(0).length, 2);
    history.append(sample(NOW));
    assert.deepEqual(
      history.samples(0).map((s) => s.at),
      [NOW - HISTORY_KEEP_MS + MINUTE, NOW],
    );
  });

  it('opens a history written before p95 and stores were kept, and serves its rows', async (t) => {
    const file = join(await tempDir(t), 'h.db');
    const old = new SqliteDatabase(file);
    old.exec(`CREATE TABLE samples (at INTEGER PRIMARY KEY, interval_ms INTEGER NOT NULL,
      stored INTEGER NOT NULL, rejects_by_reason TEXT NOT NULL, connected_devices INTEGER NOT NULL,
      p50_ms REAL, p99_ms REAL, auth_failures INTEGER NOT NULL)`);
    old
      .prepare('INSERT INTO samples VALUES (?, ?, 60, ?, 4, 10, 90, 0)')
      .run(NOW - MINUTE, MINUTE, '{}');
    old.pragma('user_version = 1');
    old.close();

    const history = new SqliteMetricHistory(file, { intervalMs: MINUTE });
    t.after(() => history.close());
    history.append(
      sample(NOW, { byStore: { 'berlin-1': { stored: 5, rejected: 1, connectedDevices: 2 } } }),
    );
    const points = (await history.read('1h', NOW)).points;
    assert.deepEqual(
      points.map((p) => [
        p.storedPerMinute,
        p.publishToStoredP95Ms,
        p.authFailuresPerMinuteByStage,
      ]),
      [
        [60, null, {}],
        [600, 50, { tls: 1 }],
      ],
    );
    const berlin = await history.readStore('1h', NOW, 'berlin-1');
    assert.deepEqual(
      berlin.points.map((p) => [p.storedPerMinute, p.rejectedPerMinute, p.connectedDevices]),
      [
        [0, 0, 0],
        [5, 1, 2],
      ],
    );
  });
});
