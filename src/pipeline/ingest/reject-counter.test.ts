import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../shared/observability/logger.js';
import type { DeviceRejectCount } from '../../stores/entities/entity-store.js';
import { RejectCounter } from './reject-counter.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const log = createLogger({ level: 'silent' });

function recorder() {
  const batches: DeviceRejectCount[][] = [];
  return {
    batches,
    sink: {
      async recordDeviceRejects(counts: readonly DeviceRejectCount[]) {
        batches.push([...counts]);
        await Promise.resolve();
      },
    },
  };
}

describe('reject counter', () => {
  it('folds rejects by device, reason and hour into one write', async () => {
    const r = recorder();
    // A long gather: only flush writes, so the test does not depend on the timer.
    const counter = new RejectCounter({ sink: r.sink, log, gatherMs: 60_000 });
    counter.count('CART-1', 'schema', T0);
    counter.count('CART-1', 'schema', T0 + 10);
    counter.count('CART-1', 'signature', T0 + 20);
    counter.count('CART-2', 'schema', T0 + 30);
    counter.count('CART-1', 'schema', T0 + 3_600_000);
    assert.equal(r.batches.length, 0, 'nothing is written while gathering');
    await counter.flush();
    assert.equal(r.batches.length, 1);
    assert.deepEqual(
      r.batches[0]!.map((c) => [c.deviceId, c.reason, c.count]),
      [
        ['CART-1', 'schema', 2],
        ['CART-1', 'signature', 1],
        ['CART-2', 'schema', 1],
        ['CART-1', 'schema', 1],
      ],
    );
    await counter.flush();
    assert.equal(r.batches.length, 1, 'an empty flush writes nothing');
  });

  it('keeps counting while a write fails, and writes the next batch', async () => {
    let fail = true;
    const written: DeviceRejectCount[][] = [];
    const counter = new RejectCounter({
      sink: {
        async recordDeviceRejects(counts) {
          if (fail) throw new Error('database gone');
          written.push([...counts]);
        },
      },
      log,
      gatherMs: 60_000,
    });
    counter.count('CART-1', 'size', T0);
    await counter.flush();
    fail = false;
    counter.count('CART-1', 'size', T0);
    await counter.flush();
    assert.deepEqual(
      written.map((b) => b.map((c) => c.count)),
      [[1]],
    );
  });
});
