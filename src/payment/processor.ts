import { createHmac } from 'node:crypto';

export interface ProcessorCapture {
  /** The authorisation is valid. False: declined, nothing captured. */
  readonly approved: boolean;
  /** What the authorisation covers; 0 when declined. */
  readonly authorizedCents: number;
  /** The processor's own reference for the capture (or the decline). */
  readonly reference: string;
}

/**
 * The acquirer or payment processor behind the store's EMV terminals: the only code that would
 * talk to the outside world. An adapter for a real processor implements these two calls with its
 * API and credentials, and keeps to this contract:
 *
 * - `fingerprint` answers the same string for every token of one card (the processor's card
 *   fingerprint), so a customer is recognised whichever token a tap produced; it must not be
 *   reversible to the card number.
 * - `capture` captures `amountCents` against the authorisation only when the authorisation
 *   covers exactly that amount; otherwise it captures nothing and answers `approved` with what
 *   the authorisation covers, and the service reports an amount mismatch. Capturing twice with
 *   the same auth token must not move money twice (processors reject or deduplicate a second
 *   capture of one authorisation), because the service retries after a crash.
 */
export interface PaymentProcessor {
  fingerprint(paymentToken: string): Promise<string>;
  capture(authToken: string, amountCents: number, currency: string): Promise<ProcessorCapture>;
}

const AMOUNT_SUFFIX = /_amt([0-9]{1,9})$/;

/**
 * A deterministic processor for development, tests and the simulator. Fingerprints are an HMAC
 * of the token with the zone's secret (so one token is one card). Auth tokens starting with
 * `decl` are declined; a token ending in `_amt<cents>` authorises exactly that amount (to
 * produce a mismatch); any other token authorises the amount asked.
 */
export class SimulatedProcessor implements PaymentProcessor {
  constructor(private readonly secret: Uint8Array) {}

  fingerprint(paymentToken: string): Promise<string> {
    return Promise.resolve(this.#mac(`fingerprint:${paymentToken}`));
  }

  capture(authToken: string, amountCents: number, _currency: string): Promise<ProcessorCapture> {
    const reference = `sim_${this.#mac(`capture:${authToken}`).slice(0, 24)}`;
    if (authToken.startsWith('decl')) {
      return Promise.resolve({ approved: false, authorizedCents: 0, reference });
    }
    const fixed = AMOUNT_SUFFIX.exec(authToken)?.[1];
    const authorizedCents = fixed === undefined ? amountCents : Number(fixed);
    return Promise.resolve({ approved: true, authorizedCents, reference });
  }

  #mac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('hex');
  }
}
