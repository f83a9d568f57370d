// What the scenario devices send: a plain health stream (stored, barely projected), or shopping
// trips whose every message the entity projection turns into rows (a session, its scans, its end),
// so that a projection applied twice or skipped shows in the entity store's counts.
import { createHash } from 'node:crypto';
import { DEVICE_EXAMPLES } from '../../../src/contract/examples.js';
import type { DeviceMessage } from '../../../src/contract/index.js';

type MessageOf<T extends DeviceMessage['type']> = Extract<DeviceMessage, { type: T }>;

/** `count` health reports, counters 1…count, a tenth of a second apart on the device's clock. */
export function healthStream(deviceId: string, count: number, t0 = Date.now()): DeviceMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const message: MessageOf<'health'> = {
      ...DEVICE_EXAMPLES.health,
      device_id: deviceId,
      counter: i + 1,
      ts: new Date(t0 + i * 100).toISOString(),
      uptime_s: i,
    };
    delete (message as { session_id?: string }).session_id;
    return message;
  });
}

/** One trip as the cart reports it, and what the entity store should hold for it afterwards. */
export interface PlannedTrip {
  readonly sessionId: string;
  readonly deviceId: string;
  /** Counters of the trip's scans. */
  readonly scanCounters: readonly number[];
  readonly startCounter: number;
  readonly endCounter: number;
  readonly subtotalCents: number;
}

/**
 * `trips` shopping trips of `scans` scans each, back to back: session-start, the scans, an
 * abandoned session-end (no payment: nothing for the checkout worker to wait on).
 */
export function shoppingTrips(
  deviceId: string,
  trips: number,
  scans: number,
  t0 = Date.now(),
): { messages: DeviceMessage[]; trips: PlannedTrip[] } {
  const messages: DeviceMessage[] = [];
  const planned: PlannedTrip[] = [];
  let counter = 0;
  const ts = () => new Date(t0 + counter * 100).toISOString();
  for (let trip = 0; trip < trips; trip++) {
    const sessionId = uuidFor(`${deviceId}/${t0}/${trip}`);
    const base = { schema_version: 1 as const, device_id: deviceId, session_id: sessionId };
    const startCounter = ++counter;
    messages.push({
      ...DEVICE_EXAMPLES['session-start'],
      ...base,
      counter: startCounter,
      ts: ts(),
    });
    const scanCounters: number[] = [];
    let subtotal = 0;
    for (let s = 1; s <= scans; s++) {
      const price = 100 + s;
      subtotal += price;
      scanCounters.push(++counter);
      messages.push({
        ...DEVICE_EXAMPLES.scan,
        ...base,
        counter,
        ts: ts(),
        scan_seq: s,
        sku: `SKU-${s}`,
        barcode: `4000000000${String(s).padStart(3, '0')}`,
        price_cents: price,
        weight_check: 'match',
      });
    }
    const endCounter = ++counter;
    messages.push({
      ...DEVICE_EXAMPLES['session-end'],
      ...base,
      counter: endCounter,
      ts: ts(),
      status: 'abandoned',
      item_count: scans,
      total_cents: subtotal,
      contents: [],
      weight_mismatches: 0,
      payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
    });
    planned.push({
      sessionId,
      deviceId,
      scanCounters,
      startCounter,
      endCounter,
      subtotalCents: subtotal,
    });
  }
  return { messages, trips: planned };
}

/** A stable version-4-shaped UUID from a name, so a trip's session id is reproducible. */
function uuidFor(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
