import type { Logger } from '../shared/observability/logger.js';

/**
 * Why the service turned a client away: `tls` a handshake that failed (no certificate, one not
 * from the payment CA, an old protocol), `pin` a payment-CA certificate that is not the pinned
 * bridge's, `card_data` a request that looked like it carried a card number.
 */
export type RefusalKind = 'tls' | 'pin' | 'card_data';

/** Counts refusals (reported by the health check) and logs each with fields that hold no secret. */
export class Refusals {
  readonly #counts: Record<RefusalKind, number> = { tls: 0, pin: 0, card_data: 0 };

  constructor(private readonly log: Logger) {}

  record(kind: RefusalKind, fields: Record<string, string | undefined>, message: string): void {
    this.#counts[kind]++;
    this.log.warn({ refusal: kind, refusals_total: this.#counts[kind], ...fields }, message);
  }

  get counts(): Readonly<Record<RefusalKind, number>> {
    return { ...this.#counts };
  }
}
