import type { SimClock } from '../clock/sim-clock.js';
import type { CatalogCache } from './catalog-cache.js';
import type { CartState, ItemInHand, ScanOutcome } from './cart-types.js';
import type { Display } from './display.js';
import type { CartObserver } from './fleet-cart.js';
import { scanMessage, type MessageBody } from './messages.js';
import type { Battery } from './power.js';
import type { Scanner } from './scanner.js';
import type { CartSession } from './session.js';
import type { WeightPlatform } from './weight.js';

/** What a scan needs from the cart, and nothing more. */
export interface ScanHost {
  readonly scanner: Scanner;
  readonly weight: WeightPlatform;
  readonly battery: Battery;
  readonly clock: SimClock;
  readonly display: Display;
  readonly catalog: CatalogCache;
  readonly observer: CartObserver | undefined;
  state(): CartState;
  /** A link to the broker is up. */
  online(): boolean;
  emit(body: MessageBody): Promise<unknown>;
  /** A scan draws a burst from the pack: the warning may be due. */
  checkBattery(): void;
}

/** The part of the session a scan works on. */
export type ScanSession = Pick<
  CartSession,
  'basket' | 'readyForCustomer' | 'start' | 'activity' | 'showBasket' | 'save'
>;

/**
 * One scan: trigger, read, cache lookup, weight check, display; then the signed scan message.
 * The customer sees the item before anything touches flash or the network, and a jammed
 * scanner is reported once until staff clear it.
 */
export class CartScan {
  #jamReported = false;

  constructor(
    private readonly host: ScanHost,
    private readonly session: ScanSession,
  ) {}

  /** Staff cleared the jam. */
  clearJam(): void {
    this.host.scanner.clearJam();
    this.#jamReported = false;
    this.host.display.clearWarning('scanner-jammed');
  }

  async scan(
    item: ItemInHand,
    action: 'add' | 'remove',
    actualWeightG: number | undefined,
  ): Promise<ScanOutcome> {
    const { host, session } = this;
    if (!(await session.readyForCustomer())) return { ok: false, reason: 'refused' };
    if (!session.basket) await session.start();
    session.activity();
    const read = host.scanner.read();
    host.battery.burst('scan-burst', read.readMs, host.clock.now());
    await host.clock.sleep(read.readMs);
    const basket = session.basket;
    if (!basket || host.state() !== 'active') return { ok: false, reason: 'refused' };
    if (!read.ok) {
      if (read.reason === 'jammed' && !this.#jamReported) {
        this.#jamReported = true;
        host.display.warn('scanner-jammed');
        void host.emit({
          type: 'fault',
          code: 'scanner-jam',
          severity: 'warning',
          session_id: basket.sessionId,
        });
      }
      return { ok: false, reason: read.reason };
    }

    // From here to the display is the PRD's 200 ms: memory and arithmetic only.
    const decodedAt = performance.now();
    const now = host.clock.now();
    const entry = host.catalog.lookup(item.barcode);
    const reading = host.weight.measure(actualWeightG ?? 0, entry?.weight_g, now);
    const seq = basket.nextSeq();
    const line = {
      barcode: item.barcode,
      ...(entry ? { sku: entry.sku, price_cents: entry.price_cents } : {}),
      quantity: 1,
    };
    if (action === 'add') basket.add(line);
    else basket.remove(item.barcode);
    if (reading.check === 'mismatch') basket.countMismatch();
    session.showBasket(entry?.name ?? item.barcode);
    if (!entry) host.display.warn('price-at-checkout');
    const ackMs = performance.now() - decodedAt;
    host.observer?.scanAcknowledged?.(ackMs, host.online());

    await Promise.all([
      session.save(),
      host.emit(scanMessage(basket.sessionId, seq, action, item, entry, reading, read.readMs)),
    ]);
    host.checkBattery();
    return {
      ok: true,
      sessionId: basket.sessionId,
      entry,
      weightCheck: reading.check,
      readMs: read.readMs,
      ackMs,
    };
  }
}
