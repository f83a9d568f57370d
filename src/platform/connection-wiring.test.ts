import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionBatch } from '../stores/entities/connection-records.js';
import { silentLogger } from '../shared/observability/logger.js';
import { connectionRecorder } from './connection-wiring.js';

function recorder() {
  const batches: ConnectionBatch[] = [];
  let release: () => void = () => undefined;
  const listener = connectionRecorder({
    entities: {
      upsertStore: () => Promise.resolve(),
      recordConnections: (batch) => {
        batches.push(batch);
        return new Promise<void>((resolve) => (release = resolve));
      },
    },
    directory: { invalidate: () => undefined },
    live: { publish: () => undefined, listening: false },
    log: silentLogger(),
    stores: { get: () => Promise.resolve(undefined) },
    gatherMs: 0,
  });
  return { listener, batches, release: () => release() };
}

const cart = (n: number) =>
  ({ deviceId: `CART-${n}`, storeId: 's-1', deviceClass: 'cart', certSerialHex: '01' }) as const;
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('connectionRecorder', () => {
  it('writes connections reported during a write as one batch (a storm is a few transactions)', async () => {
    const { listener, batches, release } = recorder();
    listener.connected?.(cart(0), 1);
    await settle();
    assert.equal(batches.length, 1);
    for (let i = 1; i <= 500; i++) listener.connected?.(cart(i), 2);
    listener.disconnected?.(cart(0), 3);
    await settle();
    assert.equal(batches.length, 1, 'nothing more is written while the first write runs');
    release();
    await settle();
    assert.equal(batches.length, 2);
    assert.equal(batches[1]?.admitted.length, 500);
    assert.equal(batches[1]?.events.length, 501);
    release();
  });
});
