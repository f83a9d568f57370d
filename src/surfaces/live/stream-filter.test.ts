import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiRole } from '../api/roles.js';
import type { LiveAudience, LiveEvent, LiveEventKind } from './live-events.js';
import { streamFilter, type StreamQuery } from './stream-filter.js';

function event(kind: LiveEventKind, audience: LiveAudience): LiveEvent {
  return { id: 'x-1', kind, audience, data: {} as LiveEvent['data'] };
}

const berlinSession = { storeId: 'berlin-1', deviceId: 'CART-1', sessionId: 's1', accountId: 'c1' };
const EVENTS: Record<string, LiveEvent> = {
  berlinSession: event('session', berlinSession),
  berlinScan: event('scan', berlinSession),
  guestScan: event('scan', { ...berlinSession, sessionId: 's2', accountId: null }),
  berlinCart: event('cart', { storeId: 'berlin-1', deviceId: 'CART-1' }),
  berlinAlert: event('alert', { storeId: 'berlin-1', deviceId: 'CART-1', sessionId: 's1' }),
  parisSession: event('session', {
    storeId: 'paris-1',
    deviceId: 'CART-9',
    sessionId: 's9',
    accountId: 'c9',
  }),
  parisCart: event('cart', { storeId: 'paris-1', deviceId: 'CART-9' }),
  rollout: event('rollout', {}),
  deadLetter: event('dead-letter', {}),
  // Alarms are ops-only (so is their API): staff never see them, even of their own store.
  berlinAlarm: event('alarm', { storeId: 'berlin-1', deviceId: 'CART-1' }),
};

function seen(
  principal: { role: ApiRole; store?: string; subject: string },
  query?: StreamQuery,
): string[] {
  const accept = streamFilter(principal, query);
  return Object.entries(EVENTS)
    .filter(([, e]) => accept(e))
    .map(([name]) => name);
}

describe('stream filter', () => {
  it('shows ops everything, staff their store only, a customer their own sessions only', () => {
    assert.deepEqual(seen({ role: 'ops', subject: 'o' }), Object.keys(EVENTS));
    assert.deepEqual(seen({ role: 'staff', store: 'berlin-1', subject: 'anna' }), [
      'berlinSession',
      'berlinScan',
      'guestScan',
      'berlinCart',
      'berlinAlert',
    ]);
    assert.deepEqual(seen({ role: 'customer', subject: 'c1' }), ['berlinSession', 'berlinScan']);
    assert.deepEqual(seen({ role: 'customer', subject: 'c404' }), []);
    assert.deepEqual(seen({ role: 'staff', subject: 'no-store' }), []);
    assert.deepEqual(seen({ role: 'privacy', subject: 'p' }), []);
  });

  it('narrows by store, cart and session, leaving out events that name none', () => {
    assert.deepEqual(seen({ role: 'ops', subject: 'o' }, { store: 'paris-1' }), [
      'parisSession',
      'parisCart',
    ]);
    assert.deepEqual(seen({ role: 'ops', subject: 'o' }, { device: 'CART-1', session: 's1' }), [
      'berlinSession',
      'berlinScan',
      'berlinAlert',
    ]);
    assert.deepEqual(
      seen({ role: 'staff', store: 'berlin-1', subject: 'a' }, { store: 'paris-1' }),
      [],
    );
  });
});
