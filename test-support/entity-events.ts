// Builds IngestedEvents the way the ingest hands them to the entity store: a device with its own
// monotonic counter and clock, messages taken from the contract's examples with fields overridden.
import { randomUUID } from 'node:crypto';
import {
  type DeviceClass,
  type DeviceMessage,
  type DeviceMessageType,
} from '../src/contract/index.js';
import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import type { IngestedEvent } from '../src/stores/entities/entity-store.js';

export const T0 = Date.parse('2026-11-23T09:00:00.000Z');

type MessageOf<T extends DeviceMessageType> = Extract<DeviceMessage, { type: T }>;

export class TestDevice {
  counter = 0;

  constructor(
    readonly deviceId: string,
    readonly storeId = 'store-1',
    readonly deviceClass: DeviceClass = 'cart',
  ) {}

  /** The next event: counter + 1, one second later on the device's clock. */
  event<T extends DeviceMessageType>(
    type: T,
    fields: Partial<MessageOf<T>> = {},
    options: { counter?: number; receivedAt?: number } = {},
  ): IngestedEvent {
    const counter = options.counter ?? ++this.counter;
    this.counter = Math.max(this.counter, counter);
    const deviceTime = T0 + counter * 1000;
    const message = {
      ...DEVICE_EXAMPLES[type],
      device_id: this.deviceId,
      counter,
      ts: new Date(deviceTime).toISOString(),
      ...fields,
    } as DeviceMessage;
    // The examples of health and fault name a session; here that is opt-in.
    if (!('session_id' in fields) && (type === 'health' || type === 'fault')) {
      delete (message as { session_id?: string }).session_id;
    }
    return {
      seq: counter,
      deviceId: this.deviceId,
      storeId: this.storeId,
      deviceClass: this.deviceClass,
      type,
      counter,
      deviceTime,
      receivedAt: options.receivedAt ?? deviceTime + 40,
      message,
    };
  }
}

/**
 * A whole shopping trip on one cart: start, health, identify (optional), scans with one removal,
 * and an end with an authorized payment. Returns the events in the order the cart sent them.
 */
export function shoppingTrip(
  cart: TestDevice,
  options: { scans?: number; identify?: boolean; sessionId?: string } = {},
): { sessionId: string; events: IngestedEvent[]; totalCents: number } {
  const sessionId = options.sessionId ?? randomUUID();
  const events: IngestedEvent[] = [cart.event('session-start', { session_id: sessionId })];
  if (options.identify) events.push(cart.event('identify', { session_id: sessionId }));
  let total = 0;
  const n = options.scans ?? 6;
  for (let i = 1; i <= n; i++) {
    const price = 100 + i;
    total += price;
    events.push(
      cart.event('scan', {
        session_id: sessionId,
        scan_seq: i,
        sku: `SKU-${i}`,
        barcode: `40000000000${i}`,
        price_cents: price,
        weight_check: i === 2 ? 'mismatch' : 'match',
      }),
    );
    if (i % 3 === 0) {
      events.push(
        cart.event('health', { session_id: sessionId, state: 'active', battery_pct: 90 - i }),
      );
    }
  }
  // The customer puts the first item back.
  events.push(
    cart.event('scan', {
      session_id: sessionId,
      scan_seq: n + 1,
      action: 'remove',
      sku: 'SKU-1',
      barcode: '400000000001',
      price_cents: 101,
    }),
  );
  total -= 101;
  events.push(
    cart.event('session-end', {
      session_id: sessionId,
      item_count: n - 1,
      total_cents: total,
      payment: {
        method: 'store-terminal',
        status: 'authorized',
        auth_token: 'auth_7Hq2LmX9pR4t',
        amount_cents: total,
      },
    }),
  );
  events.push(cart.event('health', { state: 'idle', battery_pct: 70 }));
  return { sessionId, events, totalCents: total };
}

/** Deterministic shuffle (a seeded LCG), so a failing order can be reproduced. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
