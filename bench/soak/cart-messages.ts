// The messages of bench:soak's carts, built from the contract's examples: one cart's session of
// the PRD peak (peak-traffic.ts) with a fresh session id, scan numbers in order and a session-end
// whose basket holds what was scanned. Its counter and timestamp are the sending moment's.
import { randomUUID } from 'node:crypto';
import { DEVICE_EXAMPLES } from '../../src/contract/examples.js';
import type { PeakMessageType } from './peak-traffic.js';

const PRICE_CENTS = DEVICE_EXAMPLES.scan.price_cents ?? 249;

export class SoakCart {
  #counter = 0;
  #sessionId: string = randomUUID();
  #scans = 0;

  constructor(readonly deviceId: string) {}

  /** The next message of `type`; a session-start opens a new session. */
  message(type: PeakMessageType, ts: string): object {
    const common = { device_id: this.deviceId, counter: ++this.#counter, ts };
    if (type === 'session-start') {
      this.#sessionId = randomUUID();
      this.#scans = 0;
      return { ...DEVICE_EXAMPLES['session-start'], ...common, session_id: this.#sessionId };
    }
    if (type === 'scan') {
      this.#scans++;
      return {
        ...DEVICE_EXAMPLES.scan,
        ...common,
        session_id: this.#sessionId,
        scan_seq: this.#scans,
      };
    }
    if (type === 'health') {
      return { ...DEVICE_EXAMPLES.health, ...common, session_id: this.#sessionId };
    }
    const total = this.#scans * PRICE_CENTS;
    const { barcode, sku } = DEVICE_EXAMPLES.scan;
    return {
      ...DEVICE_EXAMPLES['session-end'],
      ...common,
      session_id: this.#sessionId,
      item_count: this.#scans,
      total_cents: total,
      contents:
        this.#scans === 0
          ? []
          : [{ barcode, sku, quantity: this.#scans, price_cents: PRICE_CENTS }],
      payment: { ...DEVICE_EXAMPLES['session-end'].payment, amount_cents: total },
    };
  }
}
