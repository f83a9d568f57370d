/** What one refused handshake or admission said about who tried (refused-handshake.ts). */
export interface Refusal {
  readonly device_id?: string;
  readonly reason: string;
}

/** Refusals of one presented identity: every count since start, times of the recent ones. */
export interface RefusalSummary {
  /** The CN of the certificate presented; absent when the client showed none. */
  readonly deviceId?: string;
  readonly count: number;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly reasons: Readonly<Record<string, number>>;
  /** When the refusals within the tally's window happened, oldest first (capped). */
  readonly recent: readonly number[];
}

interface Entry {
  count: number;
  firstAt: number;
  lastAt: number;
  reasons: Record<string, number>;
  recent: number[];
}

const NO_CERTIFICATE = '';

/**
 * Who keeps knocking after being refused, for the fleet audit: a revoked cart still trying, a
 * store whose devices suddenly fail their handshakes. In memory and bounded: a flood of
 * certificate-less connections is one entry, and past `maxIdentities` the identity refused least
 * recently is forgotten. A restart starts the tally again (the audit says so).
 */
export class RefusalTally {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      readonly windowMs?: number;
      readonly maxIdentities?: number;
      readonly maxRecent?: number;
    } = {},
  ) {}

  get windowMs(): number {
    return this.options.windowMs ?? 3_600_000;
  }

  record(refusal: Refusal, at: number): void {
    const key = refusal.device_id ?? NO_CERTIFICATE;
    let entry = this.#entries.get(key);
    if (entry) {
      // Re-inserted so the map's order is least recently refused first.
      this.#entries.delete(key);
    } else {
      entry = { count: 0, firstAt: at, lastAt: at, reasons: {}, recent: [] };
      const max = this.options.maxIdentities ?? 10_000;
      if (this.#entries.size >= max) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
    }
    this.#entries.set(key, entry);
    entry.count += 1;
    entry.lastAt = Math.max(entry.lastAt, at);
    entry.reasons[refusal.reason] = (entry.reasons[refusal.reason] ?? 0) + 1;
    entry.recent.push(at);
    this.#trim(entry, at);
  }

  summaries(now: number): RefusalSummary[] {
    return [...this.#entries].map(([key, e]) => {
      this.#trim(e, now);
      return {
        ...(key === NO_CERTIFICATE ? {} : { deviceId: key }),
        ...{ count: e.count, firstAt: e.firstAt, lastAt: e.lastAt },
        reasons: { ...e.reasons },
        recent: [...e.recent],
      };
    });
  }

  #trim(entry: Entry, now: number): void {
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < entry.recent.length && entry.recent[drop]! < from) drop++;
    const cap = this.options.maxRecent ?? 1_000;
    drop = Math.max(drop, entry.recent.length - cap);
    if (drop > 0) entry.recent.splice(0, drop);
  }
}
