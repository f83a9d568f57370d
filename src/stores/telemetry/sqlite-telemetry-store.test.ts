import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
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
});
