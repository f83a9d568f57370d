import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { TestDevice } from '../../../test-support/entity-events.js';
import { silentLogger } from '../../shared/observability/logger.js';
import type { ScanView, SessionView } from '../../stores/entities/entity-store.js';
import type { LiveAudience, LiveEventData, LiveEventKind, LivePublisher } from './live-events.js';
import { ProjectionFeed } from './projection-feed.js';

function recordingBus() {
  const published: { kind: LiveEventKind; audience: LiveAudience; data: unknown }[] = [];
  const bus: LivePublisher = {
    listening: true,
    publish<K extends LiveEventKind>(kind: K, audience: LiveAudience, data: LiveEventData[K]) {
      published.push({ kind, audience, data });
    },
  };
  return { bus, published };
}

function sessionView(sessionId: string, accountId: string | null): SessionView {
  return {
    sessionId,
    deviceId: 'CART-0001',
    storeId: 'store-1',
    accountId,
    status: 'active',
    startedAt: '2026-11-23T09:00:01.000Z',
    endedAt: null,
    scanCount: 0,
    subtotalCents: 0,
    scanMismatches: 0,
    itemCount: null,
    totalCents: null,
    currency: null,
    identifyMethod: accountId ? 'app-code' : null,
    payment: null,
    mergedInto: null,
    mergedFrom: [],
  };
}

describe('live projection feed', () => {
  it('sends a session again when it is linked to an account, so the customer sees it', async () => {
    const cart = new TestDevice('CART-0001');
    const sessionId = randomUUID();
    let accountId: string | null = null;
    const entities = {
      getSession: async () => sessionView(sessionId, accountId),
      listSessionScans: async (): Promise<ScanView[]> => [],
    };
    const { bus, published } = recordingBus();
    const feed = new ProjectionFeed({ bus, entities, log: silentLogger() });

    await feed.applied([cart.event('session-start', { session_id: sessionId })]);
    await feed.settled();
    // A health report names the session but changes nothing a page shows: not sent again.
    await feed.applied([cart.event('health', { session_id: sessionId })]);
    await feed.settled();
    accountId = 'acct-1';
    await feed.applied([cart.event('identify', { session_id: sessionId })]);
    await feed.settled();

    const sessions = published.filter((p) => p.kind === 'session');
    assert.deepEqual(
      sessions.map((p) => p.audience.accountId),
      [null, 'acct-1'],
      'a guest session, then the same session for its customer',
    );
  });
});
