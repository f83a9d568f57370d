import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteDatabase } from '../../stores/data-dir/sqlite-driver.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { MetricSampler } from './metric-sampler.js';
import { PlatformMetrics } from './metrics.js';
import { HISTORY_KEEP_MS, SqliteMetricHistory } from './sqlite-metric-history.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00.000Z');

// A platform sampled once a minute for eight days and a half, on an injected clock: the week
// window answers one point a minute, per store too, and nothing older than eight days is kept.
describe('metric history over a week', () => {
  it('keeps eight days of one-minute samples, fleet-wide and per store, and charts the last seven', async (t) => {
    const metrics = new PlatformMetrics();
    const file = join(await tempDir(t), 'history.db');
    const history = new SqliteMetricHistory(file, { intervalMs: MINUTE });
    t.after(() => history.close());
    let now = START;
    const sampler = new MetricSampler({ metrics, store: history, now: () => now });
    metrics.cuts.connected('cart', 'berlin-1');
    // As ingest counts a stored message: fleet-wide by type, and in the store and firmware cuts.
    const stored = (store: string) => {
      metrics.ingested.inc({ outcome: 'stored', type: 'health' });
      metrics.cuts.stored('cart', store, '2.4.1');
    };
    const minutes = 8 * 1440 + 720;
    for (let m = 1; m <= minutes; m++) {
      // Berlin stores three messages a minute; Hamburg one message every other minute.
      for (let i = 0; i < 3; i++) stored('berlin-1');
      if (m % 2 === 0) stored('hamburg-2');
      if (m % 2 === 0) metrics.cuts.rejected('cart', 'hamburg-2', '2.4.1');
      now = START + m * MINUTE;
      await sampler.sample();
    }

    const kept = history.samples(0);
    assert.equal(kept[0]!.at, now - HISTORY_KEEP_MS, 'the oldest kept is eight days old');
    assert.equal(kept.length, 8 * 1440 + 1);
    const reader = new SqliteDatabase(file, { readonly: true });
    const oldest = reader.prepare('SELECT min(at) AS at FROM store_samples').get() as {
      at: number;
    };
    reader.close();
    assert.equal(oldest.at, now - HISTORY_KEEP_MS, 'per-store rows are pruned with the samples');

    const week = await history.read('7d', now);
    assert.equal(week.window, '7d');
    assert.equal(week.points.length, 7 * 1440, 'one point a minute for seven days');
    assert.equal(week.points[0]!.at, new Date(now - 7 * DAY + MINUTE).toISOString());
    assert.ok(
      week.points.every(
        (p, i) => i === 0 || Date.parse(p.at) - Date.parse(week.points[i - 1]!.at) === MINUTE,
      ),
    );
    assert.ok(week.points.every((p) => p.storedPerMinute === 3 || p.storedPerMinute === 4));

    const berlin = await history.readStore('7d', now, 'berlin-1');
    assert.equal(berlin.store, 'berlin-1');
    assert.equal(berlin.points.length, 7 * 1440);
    assert.ok(berlin.points.every((p) => p.storedPerMinute === 3 && p.connectedDevices === 1));
    const hamburg = await history.readStore('7d', now, 'hamburg-2');
    const perMinute = hamburg.points.map((p) => p.storedPerMinute);
    assert.equal(perMinute.filter((n) => n === 1).length, 7 * 720);
    assert.equal(
      perMinute.filter((n) => n === 0).length,
      7 * 720,
      'a quiet minute is a zero point',
    );
    assert.equal(
      hamburg.points.reduce((n, p) => n + p.rejectedPerMinute, 0),
      7 * 720,
    );
    assert.ok(hamburg.points.every((p) => p.connectedDevices === 0));
    const nowhere = await history.readStore('1h', now, 'no-such-store');
    assert.equal(nowhere.points.length, 60);
    assert.ok(nowhere.points.every((p) => p.storedPerMinute === 0));
  });
});
