import type { StoredEvent } from '../src/stores/telemetry/telemetry-store.js';

/** A stored health event, with its change-feed seq, to shape in a test (only what the export reads matters). */
export function feedEvent(overrides: Partial<StoredEvent> & { seq: number }): StoredEvent {
  const deviceTime = overrides.deviceTime ?? Date.parse('2026-03-01T10:00:00Z');
  return {
    deviceId: 'CART-0001',
    storeId: 'berlin-1',
    deviceClass: 'cart',
    type: 'health',
    counter: overrides.seq,
    deviceTime,
    receivedAt: deviceTime + 500,
    body: JSON.stringify({ type: 'health', battery_pct: 80 }),
    signature: new Uint8Array(64),
    ...overrides,
  };
}

/** The change feed of a list of events, as the port serves it. */
export function feedOf(events: StoredEvent[]) {
  return {
    eventsAfter: (seq: number, limit: number) =>
      Promise.resolve(events.filter((e) => e.seq > seq).slice(0, limit)),
  };
}
