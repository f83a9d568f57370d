// A shopping trip whose session-end adds up: one add scan per line, contents and total to match,
// and the payment the test asks for. For checkout and loss-prevention tests.
import { randomUUID } from 'node:crypto';
import type { SessionEnd, SessionLine } from '../src/contract/index.js';
import type { IngestedEvent } from '../src/stores/entities/entity-store.js';
import type { TestDevice } from './entity-events.js';

export const BASKET: SessionLine[] = [
  { barcode: '4006381333931', sku: 'SKU-1029', quantity: 1, price_cents: 249 },
  { barcode: '5449000000996', sku: 'SKU-2210', quantity: 2, price_cents: 249 },
];

export interface CheckoutTrip {
  readonly sessionId: string;
  readonly totalCents: number;
  readonly events: IngestedEvent[];
  readonly end: IngestedEvent;
}

export function checkoutTrip(
  cart: TestDevice,
  options: {
    lines?: SessionLine[];
    /** Lines that reach the session-end but were never scanned. */
    unscanned?: SessionLine[];
    status?: SessionEnd['status'];
    payment?: Partial<SessionEnd['payment']>;
    /** Scans whose weight check fails, by position (1-based). */
    mismatches?: number[];
  } = {},
): CheckoutTrip {
  const sessionId = randomUUID();
  const lines = options.lines ?? BASKET;
  const contents = [...lines, ...(options.unscanned ?? [])];
  const totalCents = contents.reduce((s, l) => s + l.quantity * (l.price_cents ?? 0), 0);
  const events = [cart.event('session-start', { session_id: sessionId })];
  lines.forEach((line, i) => {
    const mismatch = options.mismatches?.includes(i + 1) ?? false;
    events.push(
      cart.event('scan', {
        session_id: sessionId,
        scan_seq: i + 1,
        barcode: line.barcode,
        ...(line.sku !== undefined ? { sku: line.sku } : {}),
        quantity: line.quantity,
        ...(line.price_cents !== undefined ? { price_cents: line.price_cents } : {}),
        weight_delta_g: mismatch ? 40 : 500,
        expected_weight_g: 500,
        weight_check: mismatch ? 'mismatch' : 'match',
      }),
    );
  });
  const end = cart.event('session-end', {
    session_id: sessionId,
    status: options.status ?? 'complete',
    item_count: contents.reduce((s, l) => s + l.quantity, 0),
    total_cents: totalCents,
    contents,
    weight_mismatches: options.mismatches?.length ?? 0,
    payment: {
      method: 'store-terminal',
      status: 'authorized',
      auth_token: 'auth_7Hq2LmX9pR4t',
      amount_cents: totalCents,
      ...options.payment,
    },
  });
  events.push(end);
  return { sessionId, totalCents, events, end };
}
