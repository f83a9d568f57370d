import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_EXAMPLES } from '../../contract/examples.js';
import { record } from '../../stores/telemetry/telemetry-store.contract.js';
import type {
  AppendOutcome,
  TelemetryRecord,
  TelemetryStore,
} from '../../stores/telemetry/telemetry-store.js';
import { BatchWriter } from './batch-writer.js';

/** A store whose appends finish only when the test says so. */
function heldStore() {
  const batches: TelemetryRecord[][] = [];
  const release: (() => void)[] = [];
  let seq = 0;
  const store = {
    append(records: readonly TelemetryRecord[]): Promise<AppendOutcome> {
      batches.push([...records]);
      return new Promise((resolve) =>
        release.push(() => {
          const seqs = records.map(() => ++seq);
          resolve({ fresh: records.map(() => true), seqs });
        }),
      );
    },
  } as unknown as TelemetryStore;
  return { store, batches, release };
}

const message = DEVICE_EXAMPLES.health;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('BatchWriter', () => {
  it('writes one batch at a time and sends everything that arrived meanwhile as the next', async () => {
    const { store, batches, release } = heldStore();
    const sizes: number[] = [];
    const writer = new BatchWriter(store, { maxDelayMs: 1, onBatch: (n) => sizes.push(n) });
    const first = writer.write(record('CART-0001', 1), message);
    await tick();
    assert.equal(batches.length, 1);
    const rest = [2, 3, 4].map((c) => writer.write(record('CART-0001', c), message));
    await tick();
    assert.equal(batches.length, 1, 'nothing else is written while a batch is in hand');
    release.shift()!();
    assert.equal(await first, true);
    await tick();
    assert.deepEqual(
      batches.map((b) => b.map((r) => r.counter)),
      [[1], [2, 3, 4]],
    );
    release.shift()!();
    assert.deepEqual(await Promise.all(rest), [true, true, true]);
    assert.deepEqual(sizes, [1, 3]);
  });

  it('never writes more than maxBatch records in one batch', async () => {
    const { store, batches, release } = heldStore();
    const writer = new BatchWriter(store, { maxBatch: 2, maxDelayMs: 1 });
    const all = [1, 2, 3, 4, 5].map((c) => writer.write(record('CART-0001', c), message));
    const flushed = writer.flush();
    for (let i = 0; i < 3; i++) {
      await tick();
      release.shift()!();
    }
    await flushed;
    await Promise.all(all);
    assert.deepEqual(
      batches.map((b) => b.length),
      [2, 2, 1],
    );
  });
});
