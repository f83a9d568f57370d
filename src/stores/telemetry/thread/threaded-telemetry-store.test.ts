import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { record, runTelemetryStoreContract } from '../telemetry-store.contract.js';
import { packRecords, unpackRecords } from './packed-records.js';
import { ThreadedTelemetryStore } from './threaded-telemetry-store.js';

runTelemetryStoreContract('SQLite in a worker thread', async (t, retentionDays) => {
  const dir = await tempDir(t, 'telemetry-thread-');
  const store = await ThreadedTelemetryStore.open(
    join(dir, 'telemetry.sqlite'),
    retentionDays === undefined ? {} : { retentionDays },
  );
  t.after(() => store.close());
  return store;
});

describe('packed telemetry records', () => {
  it('come back field for field, signatures of any length included', () => {
    const records = [
      record('CART-0001', 1),
      {
        ...record('CART-0002', 7),
        body: '{"note":"ünïcode ✓"}',
        signature: new Uint8Array([1, 2]),
      },
      record('CART-0001', 2),
    ];
    const back = unpackRecords(packRecords(records));
    assert.deepEqual(
      back.map((r) => ({ ...r, signature: [...r.signature] })),
      records.map((r) => ({ ...r, signature: [...r.signature] })),
    );
  });
});

describe('ThreadedTelemetryStore', () => {
  it('refuses calls once closed instead of hanging', async (t) => {
    const store = await ThreadedTelemetryStore.open(
      join(await tempDir(t, 'telemetry-thread-'), 'telemetry.sqlite'),
    );
    await store.close();
    await assert.rejects(store.count(), /closed/);
  });
});
