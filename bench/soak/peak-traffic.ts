// The PRD's peak traffic for a fleet of carts, as bench:soak sends it. The PRD gives no peak
// figure; it is derived from its numbers here (decision 053): at the busiest hour every cart is
// in a shopping session, back to back. A cart in a session sends a scan every 20–40 s (30 s on
// average, the cart model's pace), health every 60 s, and a session-start and a session-end
// around its 50 scans (PRD Part 2: 50 scans a session). Identify is left out: it carries a
// credential sealed to the identity service's key, and a guest session (no identify) is one the
// PRD requires to work. One session: 1 start, 50 scans, 25 health, 1 end = 77 messages over
// 50 × 30 s = 1,500 s, so 0.0513 messages a second a cart, 513 a second for 10,000 carts.

export type PeakMessageType = 'session-start' | 'scan' | 'health' | 'session-end';

export const SCANS_PER_SESSION = 50;
export const SECONDS_PER_SCAN = 30;
export const SECONDS_PER_HEALTH = 60;

/** One cart's session in sending order: start, then two scans and a health report, …, end. */
export const SESSION_SEQUENCE: readonly PeakMessageType[] = (() => {
  const out: PeakMessageType[] = ['session-start'];
  for (let s = 1; s <= SCANS_PER_SESSION; s++) {
    out.push('scan');
    if ((s * SECONDS_PER_SCAN) % SECONDS_PER_HEALTH === 0) out.push('health');
  }
  out.push('session-end');
  return out;
})();

const SESSION_SECONDS = SCANS_PER_SESSION * SECONDS_PER_SCAN;

/** Messages a second the fleet sends at peak. */
export function peakRate(carts: number): number {
  if (!Number.isInteger(carts) || carts < 1) throw new Error('carts must be a positive integer');
  return (carts * SESSION_SEQUENCE.length) / SESSION_SECONDS;
}

/** The share of each message type in the mix. */
export function peakMix(): Record<PeakMessageType, number> {
  const mix = { 'session-start': 0, scan: 0, health: 0, 'session-end': 0 };
  for (const type of SESSION_SEQUENCE) mix[type] += 1 / SESSION_SEQUENCE.length;
  return mix;
}

/**
 * The open-loop schedule: message n is due at n / rate seconds whatever the PUBACKs, and goes to
 * connection n mod `connections`, which sends the next message of its own session sequence.
 * Connections start at different points of the sequence, so at every moment the mix is the
 * fleet's and not every connection opens a session at once. With fewer connections than carts,
 * each connection carries carts / connections carts' worth of traffic (decision 053).
 */
export class PeakSchedule {
  readonly rate: number;
  readonly #position: number[];

  constructor(
    carts: number,
    readonly connections: number,
  ) {
    if (!Number.isInteger(connections) || connections < 1)
      throw new Error('connections must be a positive integer');
    if (connections > carts) throw new Error('more connections than carts');
    this.rate = peakRate(carts);
    this.#position = Array.from({ length: connections }, (_, c) => c % SESSION_SEQUENCE.length);
  }

  /** Seconds after the start at which message n is due. */
  dueAt(n: number): number {
    return n / this.rate;
  }

  /** Which connection sends message n, and what it is; call once per n, in order. */
  next(n: number): { connection: number; type: PeakMessageType; newSession: boolean } {
    const connection = n % this.connections;
    const at = this.#position[connection]!;
    this.#position[connection] = (at + 1) % SESSION_SEQUENCE.length;
    const type = SESSION_SEQUENCE[at]!;
    return { connection, type, newSession: type === 'session-start' };
  }
}
