import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { SqliteDatabase } from '../data-dir/sqlite-driver.js';
import { SqliteTelemetryStore } from './sqlite-telemetry-store.js';
import { record, runTelemetryStoreContract } from './telemetry-store.contract.js';

runTelemetryStoreContract('SQLite', async (t, retentionDays) => {
  const dir = await tempDir(t, 'telemetry-');
  return new SqliteTelemetryStore(
    join(dir, 'telemetry.sqlite'),
    retentionDays === undefined ? {} : { retentionDays },
  );
});

describe('SqliteTelemetryStore', () => {
  it('keeps what it acknowledged across a reopen, and still refuses repeats', async (t) => {
    const file = join(await tempDir(t, 'telemetry-'), 'telemetry.sqlite');
    const first = new SqliteTelemetryStore(file);
    await first.append([record('CART-0001', 1), record('CART-0001', 2)]);
    await first.close();
    const second = new SqliteTelemetryStore(file);
    try {
      assert.deepEqual((await second.append([record('CART-0001', 2)])).fresh, [false]);
      assert.equal(await second.count(), 2);
    } finally {
      await second.close();
    }
  });

  it('leaves events and aggregates as they were when a fold fails half way, and counts once after', async (t) => {
    const file = join(await tempDir(t, 'telemetry-'), 'telemetry.sqlite');
    const store = new SqliteTelemetryStore(file);
    t.after(() => store.close());
    const day0 = Date.parse('2025-03-10T00:00:00.000Z');
    await store.append([1, 2, 3].map((c) => record(`CART-000${c}`, c, { deviceTime: day0 + c })));
    // The third device's aggregate row fails to write, as a full disk would.
    const raw = new SqliteDatabase(file);
    raw.exec(`CREATE TRIGGER boom BEFORE INSERT ON daily_aggregates
      WHEN NEW.device_id = 'CART-0003' BEGIN SELECT RAISE(ABORT, 'disk full (injected)'); END`);
    await assert.rejects(store.foldBefore(day0 + 86_400_000), /injected/);
    assert.equal(await store.count(), 3, 'no event deleted');
    assert.deepEqual(await store.dailyAggregates('CART-0001', day0, day0 + 86_400_000), []);
    raw.exec('DROP TRIGGER boom');
    raw.close();
    assert.deepEqual(await store.foldBefore(day0 + 86_400_000), { folded: 3, alreadyFolded: 0 });
    const [one] = await store.dailyAggregates('CART-0001', day0, day0 + 86_400_000);
    assert.equal(one?.count, 1, 'counted once');
  });
});
