import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestDevice } from '../../../test-support/entity-events.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { LiveBus } from './live-bus.js';
import type { LiveEvent } from './live-events.js';
import { ProjectionFeed } from './projection-feed.js';

function feedOn(bus: LiveBus): ProjectionFeed {
  return new ProjectionFeed({
    bus,
    log: silentLogger(),
    entities: {
      getSession: () => Promise.reject(new Error('no session is read for a cart event')),
      listSessionScans: () => Promise.reject(new Error('no session is read for a cart event')),
    },
  });
}

describe('projection feed: cart events', () => {
  it("makes a cart's shadow report a cart event about that cart, beside its health report", async () => {
    const bus = new LiveBus();
    const got: LiveEvent[] = [];
    bus.subscribe(
      () => true,
      (e) => got.push(e),
    );
    const cart = new TestDevice('CART-0701', 'berlin-1');
    const shadow = cart.event('shadow-report', { desired_version: 4 });
    const health = cart.event('health', { session_id: undefined, battery_pct: 64 });
    await feedOn(bus).applied([shadow, health]);

    assert.deepEqual(
      got.map((e) => [e.kind, e.audience, (e.data as { change: string }).change]),
      [
        ['cart', { storeId: 'berlin-1', deviceId: 'CART-0701' }, 'shadow'],
        ['cart', { storeId: 'berlin-1', deviceId: 'CART-0701' }, 'health'],
      ],
    );
    assert.deepEqual(got[0]?.data, {
      deviceId: 'CART-0701',
      storeId: 'berlin-1',
      change: 'shadow',
      at: new Date(shadow.deviceTime).toISOString(),
      reportedDesiredVersion: 4,
    });
  });
});
