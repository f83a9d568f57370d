import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topics } from '../../contract/index.js';
import { createLogger } from '../../shared/observability/logger.js';
import { PlatformMetrics } from '../../shared/observability/metrics.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import { IngestPipeline, type Publisher } from './ingest-pipeline.js';
import { InlineVerifier } from './signature-verifier.js';

const AT = Date.parse('2026-11-23T09:00:00.000Z');
const GARBAGE = Buffer.from('not a signed message');
const publisher = (deviceId: string): Publisher => ({
  deviceId,
  storeId: 'store-1',
  deviceClass: 'cart',
  publicKeySpki: 'AAAA',
});

function pipeline() {
  const counted: [string, string][] = [];
  const ingest = new IngestPipeline({
    // No message here gets as far as the store.
    telemetry: {} as TelemetryStore,
    devices: { lookup: async () => undefined, invalidate: () => undefined },
    verifier: new InlineVerifier(),
    feedback: async () => undefined,
    metrics: new PlatformMetrics(),
    log: createLogger({ level: 'silent' }),
    now: () => AT,
    onDeviceReject: (deviceId, reason) => counted.push([deviceId, reason]),
  });
  return { ingest, counted };
}

describe('ingest rejects counted per device', () => {
  it('names the device its certificate authenticated, whatever topic it published on', async () => {
    const { ingest, counted } = pipeline();
    const own = topics.telemetry('cart', 'CART-1', 'health');
    const other = topics.telemetry('cart', 'CART-2', 'health');
    await ingest.submit({
      topic: own,
      payload: GARBAGE,
      receivedAt: AT,
      publisher: publisher('CART-1'),
    });
    await ingest.submit({
      topic: other,
      payload: GARBAGE,
      receivedAt: AT,
      publisher: publisher('CART-1'),
    });
    assert.equal(counted.length, 2);
    assert.deepEqual(
      counted.map(([id]) => id),
      ['CART-1', 'CART-1'],
    );
  });

  it('names nobody for a client that authenticated nothing', async () => {
    const { ingest, counted } = pipeline();
    const outcome = await ingest.submit({
      topic: topics.telemetry('cart', 'CART-2', 'health'),
      payload: GARBAGE,
      receivedAt: AT,
    });
    assert.equal(outcome.status, 'rejected');
    assert.deepEqual(counted, []);
  });
});
