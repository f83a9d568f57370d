import { randomUUID } from 'node:crypto';
import type { SessionLine } from '../../contract/index.js';
import type { HeldSession } from './flash.js';

/**
 * One shopping session's basket: lines by barcode and price (a unit scanned after a price change
 * is charged at the new price, on a line of its own), the running total of priced lines, the scan
 * sequence and the weight mismatches. It becomes the held session in flash as it is.
 */
export class Basket {
  #lines = new Map<string, SessionLine>();
  #scanSeq: number;
  #mismatches: number;

  constructor(
    readonly sessionId: string,
    readonly startedAt: number,
    held?: Pick<HeldSession, 'lines' | 'scan_seq' | 'weight_mismatches'>,
  ) {
    this.#scanSeq = held?.scan_seq ?? 0;
    this.#mismatches = held?.weight_mismatches ?? 0;
    for (const line of held?.lines ?? []) this.#lines.set(lineKey(line), { ...line });
  }

  static fresh(now: number): Basket {
    return new Basket(randomUUID(), now);
  }

  static fromHeld(held: HeldSession): Basket {
    return new Basket(held.session_id, held.started_at, held);
  }

  /** The next scan_seq (adds and removes both count). */
  nextSeq(): number {
    return ++this.#scanSeq;
  }

  get scanSeq(): number {
    return this.#scanSeq;
  }

  get weightMismatches(): number {
    return this.#mismatches;
  }

  countMismatch(): void {
    this.#mismatches++;
  }

  add(line: SessionLine): void {
    const key = lineKey(line);
    const current = this.#lines.get(key);
    const quantity = Math.min(999, (current?.quantity ?? 0) + line.quantity);
    this.#lines.set(key, { ...(current ?? line), quantity });
  }

  /**
   * Takes `quantity` back out of the item's newest line (the last price scanned); undefined when
   * the basket does not hold the item.
   */
  remove(barcode: string, quantity = 1): SessionLine | undefined {
    const key = [...this.#lines.keys()]
      .reverse()
      .find((k) => this.#lines.get(k)!.barcode === barcode);
    if (key === undefined) return undefined;
    const current = this.#lines.get(key)!;
    const left = current.quantity - quantity;
    if (left <= 0) this.#lines.delete(key);
    else this.#lines.set(key, { ...current, quantity: left });
    return current;
  }

  has(barcode: string): boolean {
    return this.lines.some((l) => l.barcode === barcode);
  }

  get lines(): SessionLine[] {
    return [...this.#lines.values()];
  }

  get itemCount(): number {
    return this.lines.reduce((n, l) => n + l.quantity, 0);
  }

  /** Priced lines only: an item missing from the cache is priced at checkout. */
  get totalCents(): number {
    return this.lines.reduce((sum, l) => sum + l.quantity * (l.price_cents ?? 0), 0);
  }

  held(status: HeldSession['status']): HeldSession {
    return {
      session_id: this.sessionId,
      status,
      started_at: this.startedAt,
      scan_seq: this.#scanSeq,
      lines: this.lines,
      weight_mismatches: this.#mismatches,
    };
  }
}

/** Units of one item at one price share a line. */
function lineKey(line: SessionLine): string {
  return `${line.barcode}\u0000${line.price_cents ?? ''}`;
}
